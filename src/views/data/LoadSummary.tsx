// What the loaded file holds and what the loader changed to make it a simple undirected graph.
// Every text from the file (names, warnings) is rendered as React text, never as HTML.
import type { LoadedSet } from '../../state/store';

const fmt = (x: number) => x.toLocaleString('en-US');

function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmt(n)} ${n === 1 ? one : many}`;
}

export function LoadSummary({ loaded }: { loaded: LoadedSet }) {
  const s = loaded.summary;
  const rows: [string, string][] = [[loaded.summary.edges === null ? 'Tokens' : 'Nodes', fmt(s.nodes)]];
  if (s.edges !== null) rows.push(['Edges', fmt(s.edges)]);
  if (s.isolated !== null) rows.push(['Isolated nodes', fmt(s.isolated)]);
  if (s.components !== null) rows.push(['Components', fmt(s.components)]);
  rows.push(['Classes', s.classes ? fmt(s.classes) : 'none']);
  rows.push([
    'Feature dim.',
    loaded.reduction ? `${fmt(s.featureDim)} (${loaded.reduction})` : fmt(s.featureDim),
  ]);
  if (s.split)
    rows.push(['Split', `${fmt(s.split.train)} / ${fmt(s.split.val)} / ${fmt(s.split.test)} (public)`]);
  // Only what was changed: a file that was already a simple undirected graph says so in one phrase.
  const changes = [
    s.selfLoopsRemoved ? plural(s.selfLoopsRemoved, 'self loop') + ' removed' : '',
    s.duplicatesRemoved ? plural(s.duplicatesRemoved, 'duplicate') + ' merged' : '',
    s.oneDirectionalAdded ? plural(s.oneDirectionalAdded, 'one-directional edge') + ' made symmetric' : '',
  ].filter(Boolean);
  const normalized =
    s.edges === null
      ? null
      : changes.length
        ? `Normalized: ${changes.join(', ')}.`
        : 'Already a simple undirected graph: nothing normalized.';
  return (
    <div className="data-summary" data-testid="data-summary">
      <p className="data-summary-title">
        <strong>{loaded.name}</strong>{' '}
        <span className="muted">
          ({loaded.files.join(' + ')}, {(loaded.timeMs / 1000).toFixed(1)} s)
        </span>
      </p>
      <dl>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd
              data-summary-key={k}
              title={k === 'Split' ? 'train / validation / test nodes, as the file gives them' : undefined}
            >
              {v}
            </dd>
          </div>
        ))}
      </dl>
      {normalized ? <p className="hint">{normalized}</p> : null}
      {s.unlabelled > 0 && s.classes > 0 ? (
        <p className="hint">{plural(s.unlabelled, 'node')} unlabelled.</p>
      ) : null}
      {s.warnings.map((w) => (
        <p className="hint" key={w}>
          {w}
        </p>
      ))}
    </div>
  );
}
