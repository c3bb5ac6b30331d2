// Zachary's karate club (W. W. Zachary, "An information flow model for conflict and fission in
// small groups", J. Anthropol. Res. 33, 1977): 34 members, 78 friendships, and the split of
// the club into the instructor's ("Mr. Hi") and the officer's factions. The edge list is the
// published one (1-based member numbers, as in Zachary's table and the networkx
// karate_club_graph); the factions are networkx's "club" attribute, 17 members each.

import type { Dataset } from './types';
import { buildCsr } from './graph';

/** Each member's friends with a higher number, 1-based, as published. */
const FRIENDS: Record<number, number[]> = {
  1: [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 18, 20, 22, 32],
  2: [3, 4, 8, 14, 18, 20, 22, 31],
  3: [4, 8, 9, 10, 14, 28, 29, 33],
  4: [8, 13, 14],
  5: [7, 11],
  6: [7, 11, 17],
  7: [17],
  9: [31, 33, 34],
  10: [34],
  14: [34],
  15: [33, 34],
  16: [33, 34],
  19: [33, 34],
  20: [34],
  21: [33, 34],
  23: [33, 34],
  24: [26, 28, 30, 33, 34],
  25: [26, 28, 32],
  26: [32],
  27: [30, 34],
  28: [34],
  29: [32, 34],
  30: [33, 34],
  31: [33, 34],
  32: [33, 34],
  33: [34],
};

/** Members (0-based) who followed the instructor, Mr. Hi; the rest followed the officer. */
const MR_HI = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 16, 17, 19, 21];

export const KARATE_NODES = 34;
export const KARATE_CLASS_NAMES = ['Mr. Hi', 'Officer'] as const;

/** The 78 friendships as 0-based pairs (u < v). */
export function karateEdges(): [number, number][] {
  const out: [number, number][] = [];
  for (const [u, vs] of Object.entries(FRIENDS)) for (const v of vs) out.push([Number(u) - 1, v - 1]);
  return out;
}

/**
 * The club as a data set: labels 0 (Mr. Hi) and 1 (Officer); features one-hot member
 * identities (34×34 identity), the featureless input of Kipf & Welling's karate example, so
 * that everything the layers do to the members comes from the friendships.
 */
export function karate(): Dataset {
  const n = KARATE_NODES;
  const labels = new Int32Array(n).fill(1);
  for (const i of MR_HI) labels[i] = 0;
  const features = new Float32Array(n * n);
  for (let i = 0; i < n; i++) features[i * n + i] = 1;
  return {
    id: JSON.stringify({ kind: 'karate' }),
    name: "Zachary's karate club",
    n,
    featureDim: n,
    features,
    graph: buildCsr(n, karateEdges()).graph,
    labels,
    numClasses: 2,
  };
}
