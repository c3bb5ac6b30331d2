// The language of the property tables (like TensorFlow Playground's state.ts): what a property
// is (URL key, type, range or values) and how one is written to and read from a URL hash. Each
// view's table (state/depth.ts, state/training.ts, state/noncontrastive.ts) is written in it, and
// state/page.ts joins them into the page's one table. This module imports no other state module.
import type { ContraNormVariant, NormKind, Residual } from '../engine/types';

interface Base<K extends string> {
  name: K;
  /** Short key in the URL hash. */
  key: string;
  label: string;
  /** Discrete properties push a history entry on change; continuous ones (sliders) replace it. */
  continuous?: boolean;
}
export interface NumberProp<K extends string = string> extends Base<K> {
  type: 'number';
  min: number;
  max: number;
  step: number;
  integer?: boolean;
  /** Slider on a log axis. */
  log?: boolean;
}
export interface EnumProp<K extends string = string> extends Base<K> {
  type: 'enum';
  values: readonly string[];
  /** Display names, same order as `values`. */
  labels?: readonly string[];
}
export interface BoolProp<K extends string = string> extends Base<K> {
  type: 'bool';
}
export interface StringProp<K extends string = string> extends Base<K> {
  type: 'string';
  pattern: RegExp;
}
/** One property of a state object S. */
export type PropOf<S> = {
  [K in keyof S & string]: NumberProp<K> | EnumProp<K> | BoolProp<K> | StringProp<K>;
}[keyof S & string];

// Values and labels that several views' tables offer.
export const NORM_VALUES: readonly NormKind[] = ['none', 'layernorm', 'batchnorm', 'pairnorm', 'contranorm'];
export const NORM_LABELS = ['none', 'LayerNorm', 'BatchNorm', 'PairNorm', 'ContraNorm'] as const;
export const VARIANT_VALUES: readonly ContraNormVariant[] = ['code', 'identity', 'mask', 'paper'];
export const VARIANT_LABELS = [
  'code: Z − s·SZ',
  'identity: (1+s)Z − s·SZ',
  'mask: non-neighbours only',
  'paper: Z − (s/τ)·softmax(ZZᵀ)Z',
] as const;
export const RESIDUAL_VALUES: readonly Residual[] = ['none', 'residual', 'lipschitz'];
export const RESIDUAL_LABELS = ['none', 'H + α·Z', 'Lipschitz-bounded residual'] as const;

function formatNumber(v: number): string {
  // Short but exact enough to round-trip the slider values (6 significant digits).
  return String(Number(v.toPrecision(6)));
}

/** A property's value as the URL writes it. */
export function propText(p: PropOf<Record<string, unknown>>, v: unknown): string {
  if (p.type === 'number') return formatNumber(v as number);
  if (p.type === 'bool') return v ? '1' : '0';
  return String(v);
}

export interface ParseResult<S> {
  state: S;
  /** One readable note per value that could not be used (it fell back to its default). */
  notes: string[];
}

/** Characters of a link's hash that are read; the serialized state is well under 2,000. */
export const MAX_HASH_CHARS = 8192;
/** Notes a link gives at most (the rest are counted in one "and N more"). */
export const MAX_LINK_NOTES = 8;
/** Characters of a value or key a note quotes. */
const NOTE_EXCERPT = 24;

/** A value from a link as a note quotes it: one line, cut short, in quotes. */
function excerpt(s: string): string {
  const head = s.length > NOTE_EXCERPT + 1 ? s.slice(0, NOTE_EXCERPT + 1) : s;
  const clean = head.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return JSON.stringify(clean.length > NOTE_EXCERPT ? `${clean.slice(0, NOTE_EXCERPT - 1)}…` : clean);
}

/** A number as a link may write it: plain decimal, no blanks, no hex, no "Infinity". */
const LINK_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Keep at most MAX_LINK_NOTES notes; the rest become one "and N more" (a link with 1,250
 * unknown keys once gave a banner 9,500 px tall).
 */
export function capNotes(notes: string[]): string[] {
  if (notes.length <= MAX_LINK_NOTES) return notes;
  const rest = notes.length - (MAX_LINK_NOTES - 1);
  return [...notes.slice(0, MAX_LINK_NOTES - 1), `and ${rest.toLocaleString('en-US')} more`];
}

/**
 * Parse a URL hash (with or without '#') against a table. Missing keys keep `base`'s values;
 * invalid ones take `defaults`' values, with a note. Only the first MAX_HASH_CHARS characters
 * are read, and notes are capped (capNotes), so that any link costs a few milliseconds and a
 * short banner.
 */
export function parseHash<S extends object>(
  props: readonly PropOf<S>[],
  defaults: S,
  hash: string,
  base: S = defaults,
): ParseResult<S> {
  const state: S = { ...base };
  const notes: string[] = [];
  const full = hash.startsWith('#') ? hash.slice(1) : hash;
  const text = full.length > MAX_HASH_CHARS ? full.slice(0, MAX_HASH_CHARS) : full;
  const byKey = new Map(props.map((p) => [p.key, p]));
  const writable = state as unknown as Record<string, unknown>;
  const fallbacks = defaults as unknown as Record<string, unknown>;
  let unknown = 0;
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    let raw: string;
    try {
      raw = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      raw = part.slice(eq + 1);
    }
    const p = byKey.get(key);
    if (!p) {
      unknown++;
      continue;
    }
    const fallback = `${p.label}: ${excerpt(raw)} is not valid, using ${String(fallbacks[p.name])}`;
    if (p.type === 'number') {
      const v = LINK_NUMBER.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(v) || v < p.min || v > p.max || (p.integer && !Number.isInteger(v))) {
        notes.push(`${fallback} (allowed: ${p.integer ? 'integers ' : ''}${p.min}..${p.max})`);
        writable[p.name] = fallbacks[p.name];
      } else writable[p.name] = v;
    } else if (p.type === 'bool') {
      if (raw === '1' || raw === 'true') writable[p.name] = true;
      else if (raw === '0' || raw === 'false') writable[p.name] = false;
      else {
        notes.push(`${fallback} (allowed: 0 or 1)`);
        writable[p.name] = fallbacks[p.name];
      }
    } else if (p.type === 'enum') {
      if (p.values.includes(raw)) writable[p.name] = raw;
      else {
        notes.push(`${fallback} (allowed: ${p.values.join(', ')})`);
        writable[p.name] = fallbacks[p.name];
      }
    } else {
      if (p.pattern.test(raw)) writable[p.name] = raw;
      else {
        notes.push(fallback);
        writable[p.name] = fallbacks[p.name];
      }
    }
  }
  if (unknown > 0) {
    // One note for all unknown keys, naming the first: never one line per key.
    const first = text.split('&').find((part) => part && !byKey.has(part.split('=')[0]))!;
    notes.push(
      unknown === 1
        ? `unknown setting ${excerpt(first.split('=')[0])} in the link was ignored`
        : `${unknown.toLocaleString('en-US')} unknown settings in the link were ignored (the first: ${excerpt(first.split('=')[0])})`,
    );
  }
  if (full.length > MAX_HASH_CHARS)
    notes.push(
      `the link's settings are ${full.length.toLocaleString('en-US')} characters long; only the first ${MAX_HASH_CHARS.toLocaleString('en-US')} were read`,
    );
  return { state, notes: capNotes(notes) };
}

/** A number property on one line of a table: `range` is [min, max, step]. */
export function defineNumber<K extends string>(
  name: K,
  key: string,
  label: string,
  [min, max, step]: readonly [number, number, number],
  flags: Pick<NumberProp<K>, 'integer' | 'log' | 'continuous'> = {},
): NumberProp<K> {
  return { name, key, label, type: 'number', min, max, step, ...flags };
}

/** An enum property on one line of a table: its values and their display names. */
export function defineEnum<K extends string>(
  name: K,
  key: string,
  label: string,
  values: readonly string[],
  labels?: readonly string[],
): EnumProp<K> {
  return labels
    ? { name, key, label, type: 'enum', values, labels }
    : { name, key, label, type: 'enum', values };
}

/**
 * An enum property written as value → display name, so that each value stands beside its name;
 * the values are the keys of `labels`, in their order.
 */
export function defineEnumOf<K extends string>(
  name: K,
  key: string,
  label: string,
  labels: Readonly<Record<string, string>>,
): EnumProp<K> {
  return defineEnum(name, key, label, Object.keys(labels), Object.values(labels));
}

/**
 * Properties that the depth and training views both offer, alike in label, values and range; each
 * view gives them a name and a URL key of its own (and may relabel them). Kept here once so that
 * the two views' controls cannot drift apart.
 */
const SHARED_PROPS = {
  norm: { type: 'enum', label: 'Normalization', values: NORM_VALUES, labels: NORM_LABELS },
  variant: { type: 'enum', label: 'ContraNorm form', values: VARIANT_VALUES, labels: VARIANT_LABELS },
  residual: { type: 'enum', label: 'Residual', values: RESIDUAL_VALUES, labels: RESIDUAL_LABELS },
  s: { type: 'number', label: 'ContraNorm s', min: 0, max: 3, step: 0.05, continuous: true },
  tau: { type: 'number', label: 'ContraNorm τ', min: 0.01, max: 10, step: 0.01, log: true, continuous: true },
  alpha: { type: 'number', label: 'Residual α', min: 0, max: 2, step: 0.05, continuous: true },
  gain: { type: 'number', label: 'Weight gain g', min: 0.1, max: 4, step: 0.05, continuous: true },
} satisfies Record<string, Omit<EnumProp, 'name' | 'key'> | Omit<NumberProp, 'name' | 'key'>>;

/** One of the shared properties (SHARED_PROPS) on one line of a view's table. */
export function defineShared<K extends string>(
  kind: keyof typeof SHARED_PROPS,
  name: K,
  key: string,
  label: string = SHARED_PROPS[kind].label,
): EnumProp<K> | NumberProp<K> {
  return { ...SHARED_PROPS[kind], name, key, label };
}
