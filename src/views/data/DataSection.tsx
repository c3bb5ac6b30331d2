// The "Data" section of the side panel: the current model's data set (a built-in generator
// with its parameters, or the loaded file) and the loader for the user's own files.
import { useState } from 'react';
import { useLecture } from '../../state/store';
import type { GraphData, TokenData } from '../../state/depth';
import type { LectureState } from '../../state/page';
import { PropControl } from '../PropControl';
import { LoadPanel } from './LoadPanel';
import { LoadStatus } from './LoadStatus';
import { LoadSummary } from './LoadSummary';
import { RecordedSection } from '../recorded/RecordedSection';

/** Which parameters each built-in set reads, and what its features are (shown under the choice). */
const GRAPH_SETS: Record<Exclude<GraphData, 'loaded'>, { params: (keyof LectureState)[]; about: string }> = {
  csbm: {
    params: ['n', 'featureDim', 'classes', 'homophily', 'avgDegree', 'separation', 'dataSeed'],
    about: 'Classes differ in their edges (homophily) and in their feature means (separation).',
  },
  sbm: {
    params: ['n', 'featureDim', 'classes', 'homophily', 'avgDegree', 'dataSeed'],
    about:
      'Edges drawn independently, p_in inside a class, p_out across; features carry no class signal, so only the graph holds the classes.',
  },
  ring: {
    params: ['n', 'featureDim', 'classes', 'avgDegree', 'dataSeed'],
    about:
      "Each node joined to its nearest neighbours on a cycle; features are the cycle's low-frequency Fourier modes plus noise. Watch the high frequencies die first.",
  },
  grid: {
    params: ['n', 'featureDim', 'classes', 'dataSeed'],
    about:
      'A 4-neighbour lattice; features are the low-frequency cosine modes of the cell positions plus noise; classes are vertical bands.',
  },
  geometric: {
    params: ['n', 'featureDim', 'classes', 'radius', 'dataSeed'],
    about:
      'Random points in the unit square, joined within the radius; features are cosine modes of the positions. Small radii leave isolated nodes, which never smooth.',
  },
  karate: {
    params: [],
    about:
      "Zachary's karate club: 34 members, 78 friendships, two factions (17 + 17). Features are one-hot member identities.",
  },
};

const TOKEN_SETS: Record<Exclude<TokenData, 'loaded'>, { params: (keyof LectureState)[]; about: string }> = {
  mixture: {
    params: ['n', 'featureDim', 'clusters', 'separation', 'dataSeed'],
    about: 'Tokens drawn from a Gaussian mixture; the colours are the mixture components.',
  },
  positional: {
    params: ['n', 'featureDim', 'clusters', 'separation', 'dataSeed'],
    about: 'A sequence: sinusoidal positional encoding plus content clusters (the colours) plus noise.',
  },
};

export function DataSection() {
  const model = useLecture((s) => s.model);
  const graphData = useLecture((s) => s.graphData);
  const tokenData = useLecture((s) => s.tokenData);
  const loaded = useLecture((s) => s.loaded);
  const cpuCap = useLecture((s) => s.engine.nodeCap);
  const busy = useLecture((s) => s.dataLoad.active || s.dataLoad.error !== null);
  const [userOpen, setUserOpen] = useState(false);
  // Open while a load runs or failed: its progress and errors must be seen.
  const open = userOpen || busy;
  const choice = model === 'gnn' ? graphData : tokenData;
  const set =
    choice === 'loaded'
      ? null
      : model === 'gnn'
        ? GRAPH_SETS[graphData as Exclude<GraphData, 'loaded'>]
        : TOKEN_SETS[tokenData as Exclude<TokenData, 'loaded'>];
  return (
    <fieldset className="group data-section" data-testid="data-section">
      <legend>Data</legend>
      <LoadStatus />
      <PropControl name={model === 'gnn' ? 'graphData' : 'tokenData'} label="Data set" />
      {choice === 'loaded' ? (
        loaded ? (
          <LoadSummary loaded={loaded} />
        ) : (
          <p className="hint">No file is loaded yet: drop one on the page.</p>
        )
      ) : null}
      {set ? (
        <>
          <p className="hint data-about">{set.about}</p>
          {set.params.map((name) => (
            <PropControl
              key={name}
              name={name}
              label={name === 'n' ? (model === 'gnn' ? 'Nodes n' : 'Tokens n') : undefined}
            />
          ))}
          {cpuCap !== null && set.params.includes('n') ? (
            <p className="hint">CPU engine: n is capped at {cpuCap.toLocaleString('en')}.</p>
          ) : null}
        </>
      ) : null}
      <details
        className="load-details"
        open={open}
        onToggle={(e) => setUserOpen((e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary title="Load a graph or a feature matrix from files (CSV, edge lists, Planetoid/LINQS); nothing leaves this browser">
          Load your own data
        </summary>
        <LoadPanel />
      </details>
      <RecordedSection />
    </fieldset>
  );
}
