// What was wrong with the last load (a data set or a recording), until dismissed. A failed load
// replaces nothing, and the message says so.
export function LoadError({
  error,
  onDismiss,
  testId,
}: {
  error: string;
  onDismiss: () => void;
  testId: string;
}) {
  return (
    <div className="load-error" role="alert" data-testid={testId}>
      <span>
        {error}
        <br />
        <span className="muted">The data in place is unchanged.</span>
      </span>
      <button type="button" onClick={onDismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
