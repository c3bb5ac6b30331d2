// A row of tab buttons over a list of values (the page's views, the training view's parts); the
// choice lives in the URL state, so selecting only calls back.
export function Tabs<T extends string>(p: {
  values: readonly T[];
  labels: readonly string[];
  selected: T;
  onSelect: (v: T) => void;
  className: string;
  ariaLabel: string;
  /** data-testid of each tab: this prefix and its value. */
  testIdPrefix: string;
  title?: (v: T, i: number) => string;
}) {
  return (
    <nav className={p.className} role="tablist" aria-label={p.ariaLabel}>
      {p.values.map((v, i) => (
        <button
          key={v}
          type="button"
          role="tab"
          aria-selected={p.selected === v}
          className={p.selected === v ? 'active' : ''}
          onClick={() => p.onSelect(v)}
          data-testid={`${p.testIdPrefix}${v}`}
          title={p.title?.(v, i)}
        >
          {p.labels[i]}
        </button>
      ))}
    </nav>
  );
}
