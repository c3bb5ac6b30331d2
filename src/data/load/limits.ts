// What the page accepts from a loaded file, beyond the parsers' own limits (2²⁸ feature
// entries, 5·10⁷ edge lines, src/data/parse/common.ts). A loaded set is held three times
// (the page, for labels, edges and exports; and each of the two panels' engine workers), so
// these bounds keep it to about 3 × 256 MiB; the engines then apply their own (the GPU
// adapter's storage-buffer size, the CPU engine's node cap).

/** Raw input features wider than this must be reduced (PCA or random projection) first. */
export const MAX_RAW_FEATURE_DIM = 4096;
/** N·d of the features the page keeps: 2²⁵ float32 = 128 MiB per copy. */
export const MAX_PAGE_FEATURE_ENTRIES = 2 ** 25;
/** Stored adjacency entries (2 per undirected edge): 2²⁵ uint32 = 128 MiB per copy. */
export const MAX_PAGE_GRAPH_ENTRIES = 2 ** 25;

const fmt = (x: number) => x.toLocaleString('en-US');

/** Why a set of this size cannot be kept by the page, or null when it can. */
export function pageLimitProblem(n: number, d: number, graphEntries: number): string | null {
  if (d > MAX_RAW_FEATURE_DIM)
    return `${fmt(d)} input features are more than the ${fmt(MAX_RAW_FEATURE_DIM)} the page takes; reduce them (PCA or random projection) to at most ${fmt(MAX_RAW_FEATURE_DIM)}`;
  if (n * d > MAX_PAGE_FEATURE_ENTRIES)
    return `${fmt(n)} rows × ${fmt(d)} features = ${fmt(n * d)} numbers, over the page's limit of ${fmt(MAX_PAGE_FEATURE_ENTRIES)} (128 MiB of float32 per copy; the page and both engines keep one); reduce the features to a smaller d`;
  if (graphEntries > MAX_PAGE_GRAPH_ENTRIES)
    return `${fmt(graphEntries / 2)} edges are more than the page's limit of ${fmt(MAX_PAGE_GRAPH_ENTRIES / 2)}`;
  return null;
}

/** What the running engines accept (from the engine workers' ready messages). */
export interface EngineLimits {
  kind: 'gpu' | 'cpu' | null;
  /** The CPU engine's node cap, when that engine runs. */
  nodeCap: number | null;
  /** The GPU adapter's largest storage-buffer binding, in bytes, when known. */
  maxBufferBytes: number | null;
}

function fmtBytes(b: number): string {
  return b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * Why the engines in use cannot run a set of n rows of d features at hidden width `hidden`,
 * or null. Mirrors the GPU engine's own check (one N×max(d, hidden) float32 matrix per
 * storage buffer) so the page can refuse before replacing the current data.
 */
export function engineLimitProblem(
  n: number,
  d: number,
  hidden: number,
  limits: EngineLimits,
): string | null {
  if (limits.kind === 'cpu' && limits.nodeCap !== null && n > limits.nodeCap)
    return `${fmt(n)} nodes are more than the CPU engine's limit of ${fmt(limits.nodeCap)} (this browser has no usable WebGPU)`;
  if (limits.kind === 'gpu' && limits.maxBufferBytes !== null) {
    const bytes = n * Math.max(d, hidden) * 4;
    if (bytes > limits.maxBufferBytes)
      return `one N×d feature matrix needs ${fmtBytes(bytes)} (N = ${fmt(n)}, d = ${fmt(Math.max(d, hidden))}), but this GPU binds at most ${fmtBytes(limits.maxBufferBytes)} per buffer; reduce the features to a smaller d`;
  }
  return null;
}
