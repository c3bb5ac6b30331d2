// The parts of loading that need no browser: which loader reads which files, the page's
// size limits, and the data-set properties of the URL table (engineConfig, loaded fallback).
import { describe, expect, it } from 'vitest';
import { looksLikeEdgeList, planLoad, planetoidJsonProblem } from '../../src/data/load/detect';
import { engineLimitProblem, MAX_PAGE_FEATURE_ENTRIES, pageLimitProblem } from '../../src/data/load/limits';
import { DEFAULTS, parseState, serializeState, type LectureState } from '../../src/state/page';
import { engineConfig, withoutMissingLoaded } from '../../src/state/depth';
import { buildDataset } from '../../src/data/datasets';
import { validateConfig } from '../../src/engine/config';

describe('planLoad', () => {
  const none = () => undefined;
  it('reads LINQS pairs, .npy alone, and names the missing half', () => {
    expect(planLoad(['cora.cites', 'cora.content'], none)).toEqual({
      format: 'linqs',
      content: 'cora.content',
      cites: 'cora.cites',
    });
    expect(planLoad(['emb.npy'], none)).toEqual({ format: 'npy', file: 'emb.npy' });
    expect(() => planLoad(['cora.content'], none)).toThrow(/needs both .*cora.content/);
    expect(() => planLoad(['a.npy', 'b.csv'], none)).toThrow(/alone/);
  });
  it('tells an edge list from a token matrix by its lines', () => {
    expect(looksLikeEdgeList('1,2')).toBe(true);
    expect(looksLikeEdgeList('alice\tbob')).toBe(true);
    expect(looksLikeEdgeList('3 7 0.5')).toBe(true);
    expect(looksLikeEdgeList('0.25,1.5')).toBe(false);
    expect(looksLikeEdgeList('1,2,3,4')).toBe(false);
    expect(planLoad(['g.csv'], () => '4,9').format).toBe('edge-list');
    expect(planLoad(['t.csv'], () => '0.1,0.2,0.3,0.4').format).toBe('tokens-csv');
    expect(() => planLoad(['empty.csv'], () => undefined)).toThrow(/empty/);
  });
  it('sorts edges, features and labels files by their names', () => {
    expect(planLoad(['net.csv', 'node_labels.csv', 'node_features.csv'], none)).toEqual({
      format: 'edge-list',
      edges: 'net.csv',
      features: 'node_features.csv',
      labels: 'node_labels.csv',
    });
    expect(() => planLoad(['a.csv', 'b.csv'], none)).toThrow(/which file holds the edges/);
  });
});

describe('Planetoid JSON', () => {
  const none = () => undefined;
  it('a lone .json is planned as Planetoid JSON; with other files it is refused', () => {
    expect(planLoad(['cora.json'], none)).toEqual({ format: 'planetoid-json', file: 'cora.json' });
    expect(planLoad(['data/CiteSeer.JSON'], none)).toEqual({
      format: 'planetoid-json',
      file: 'data/CiteSeer.JSON',
    });
    expect(() => planLoad(['cora.json', 'cora.cites'], none)).toThrow(/\.json file is loaded alone.*2 files/);
  });
  it('names what a JSON value lacks to be Planetoid JSON', () => {
    const ok = { numNodes: 2, numFeatures: 1, numClasses: 1, labels: [0, 0], features: [[], []], edges: [] };
    expect(planetoidJsonProblem(ok)).toBeNull();
    expect(planetoidJsonProblem([1, 2])).toMatch(/expected an object with numNodes, .*edges.*found a list/);
    expect(planetoidJsonProblem(null)).toMatch(/found null/);
    expect(planetoidJsonProblem({ numNodes: 2, labels: [] })).toMatch(
      /found no numFeatures, numClasses, features, edges$/,
    );
    expect(planetoidJsonProblem({ ...ok, numNodes: '2', edges: {} })).toMatch(
      /numNodes is not a number; edges is not a list/,
    );
    // A configuration saved by the page is pointed to its own menu item.
    expect(planetoidJsonProblem({ kind: 'collapse-config', hash: 'L=2' })).toMatch(/Load configuration/);
  });
});

describe('limits', () => {
  it('refuse wide raw features, too many numbers and the engines’ own limits, with the numbers', () => {
    expect(pageLimitProblem(2708, 1433, 10556)).toBeNull();
    expect(pageLimitProblem(10, 5000, 0)).toMatch(/5,000 input features .* 4,096/);
    expect(pageLimitProblem(MAX_PAGE_FEATURE_ENTRIES / 64 + 1, 64, 0)).toMatch(
      /over the page's limit of 33,554,432/,
    );
    expect(engineLimitProblem(2708, 64, 16, { kind: 'cpu', nodeCap: 2000, maxBufferBytes: null })).toMatch(
      /2,708 nodes .* 2,000/,
    );
    expect(
      engineLimitProblem(1e6, 1024, 16, { kind: 'gpu', nodeCap: null, maxBufferBytes: 2 ** 30 }),
    ).toMatch(/binds at most 1.00 GiB/);
    expect(
      engineLimitProblem(2708, 1433, 16, { kind: 'gpu', nodeCap: null, maxBufferBytes: 2 ** 30 }),
    ).toBeNull();
  });
});

describe('data-set properties', () => {
  const cases: [Partial<LectureState>, string][] = [
    [{}, 'csbm'],
    [{ graphData: 'sbm' }, 'sbm'],
    [{ graphData: 'ring' }, 'ring'],
    [{ graphData: 'grid' }, 'grid'],
    [{ graphData: 'geometric' }, 'geometric'],
    [{ graphData: 'karate' }, 'karate'],
    [{ model: 'transformer' }, 'tokens'],
    [{ model: 'transformer', tokenData: 'positional' }, 'positional-tokens'],
  ];
  for (const [patch, kind] of cases)
    it(`${JSON.stringify(patch)} → a valid ${kind} run that builds, and round-trips through the URL`, () => {
      const state = { ...DEFAULTS, ...patch };
      const config = engineConfig(state, 'A');
      expect(config.dataset.kind).toBe(kind);
      expect(validateConfig(config)).toEqual([]);
      expect(buildDataset(config.dataset).n).toBe(kind === 'karate' ? 34 : state.n);
      const back = parseState(serializeState(state));
      expect(back.notes).toEqual([]);
      expect(engineConfig(back.state, 'A')).toEqual(config);
    });
  it('a loaded choice names the loaded id; a link to a set the page lacks falls back with a note', () => {
    const state: LectureState = { ...DEFAULTS, graphData: 'loaded', loadedId: 'linqs:cora:0123abcd' };
    expect(engineConfig(state, 'B').dataset).toEqual({ kind: 'loaded', id: 'linqs:cora:0123abcd' });
    const kept = withoutMissingLoaded(state, (id) => id === 'linqs:cora:0123abcd');
    expect(kept.state).toBe(state);
    expect(kept.notes).toEqual([]);
    const { state: fell, notes } = withoutMissingLoaded(parseState(serializeState(state)).state, () => false);
    expect(fell.graphData).toBe('csbm');
    expect(fell.loadedId).toBe('');
    expect(notes[0]).toMatch(/"linqs:cora:0123abcd" is not loaded in this page/);
  });
});
