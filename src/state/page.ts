// The page's one property table: its own properties (which view, presentation, classroom link)
// joined with each view's table. The URL hash, its parsing, the controls' ranges and the store's
// defaults all come from it, so sharing a link reproduces the exact picture.
import { DEPTH_DEFAULTS, DEPTH_PROPS, type DepthState } from './depth';
import { NONCONTRASTIVE_DEFAULTS, NONCONTRASTIVE_PROPS, type NonContrastiveState } from './noncontrastive';
import { parseHash, propText, type EnumProp, type NumberProp, type ParseResult, type PropOf } from './schema';
import { TRAINING_DEFAULTS, TRAINING_PROPS, type TrainingState } from './training';

/** The page's views: collapse through depth (the lecture), gradients and training, SimSiam / BYOL. */
export type ViewId = 'depth' | 'training' | 'noncontrastive';
export const VIEW_VALUES: readonly ViewId[] = ['depth', 'training', 'noncontrastive'];
export const VIEW_LABELS = ['Collapse through depth', 'Gradients & training', 'SimSiam / BYOL'] as const;

/** Properties of the page itself, kept whichever view is shown. */
export interface PageState {
  view: ViewId;
  presentation: boolean;
  /** Classroom link: only the picture, the explanation and the controls named in `show`. */
  classroom: boolean;
  /** The URL keys of the controls a classroom link shows, comma-separated (e.g. "d,s,tau"). */
  show: string;
}

/**
 * Everything the page shows is a function of this plain object (plus engine results): the
 * page's own properties and those of each view.
 */
export type LectureState = PageState & DepthState & TrainingState & NonContrastiveState;
export type Prop = PropOf<LectureState>;

const PAGE_DEFAULTS: PageState = { view: 'depth', presentation: false, classroom: false, show: 'd' };

export const DEFAULTS: LectureState = {
  ...TRAINING_DEFAULTS,
  ...NONCONTRASTIVE_DEFAULTS,
  ...DEPTH_DEFAULTS,
  ...PAGE_DEFAULTS,
};

const PAGE_PROPS: readonly PropOf<PageState>[] = [
  { name: 'view', key: 'v', label: 'View', type: 'enum', values: VIEW_VALUES, labels: VIEW_LABELS },
  { name: 'presentation', key: 'pres', label: 'Presentation mode', type: 'bool' },
  { name: 'classroom', key: 'class', label: 'Classroom link', type: 'bool' },
  { name: 'show', key: 'show', label: 'Controls shown', type: 'string', pattern: /^[A-Za-z0-9,]{0,200}$/ },
];

/** Every property; the order is the order of a link's keys. */
export const PROPS: readonly Prop[] = [
  PAGE_PROPS[0],
  ...DEPTH_PROPS,
  ...PAGE_PROPS.slice(1),
  ...TRAINING_PROPS,
  ...NONCONTRASTIVE_PROPS,
];

export const PROP_BY_NAME = new Map(PROPS.map((p) => [p.name, p])) as ReadonlyMap<keyof LectureState, Prop>;

export function numberProp(name: keyof LectureState): NumberProp<keyof LectureState> {
  const p = PROP_BY_NAME.get(name);
  if (!p || p.type !== 'number') throw new Error(`${name} is not a number property`);
  return p;
}

export function enumProp(name: keyof LectureState): EnumProp<keyof LectureState> {
  const p = PROP_BY_NAME.get(name);
  if (!p || p.type !== 'enum') throw new Error(`${name} is not an enum property`);
  return p;
}

const VIEW_OF_PROP = new Map<keyof LectureState, ViewId | null>([
  ...PAGE_PROPS.map((p) => [p.name, null] as const),
  ...TRAINING_PROPS.map((p) => [p.name, 'training'] as const),
  ...NONCONTRASTIVE_PROPS.map((p) => [p.name, 'noncontrastive'] as const),
]);

/** The view whose picture a property shapes, or null for the page's own properties. */
export function viewOfProp(name: keyof LectureState): ViewId | null {
  return VIEW_OF_PROP.has(name) ? VIEW_OF_PROP.get(name)! : 'depth';
}

/**
 * The state as a URL hash (without '#'). A link is short: it carries only the settings that
 * differ from the defaults, and only those of the view shown (parseState fills in the rest).
 * `all` writes every property, for a configuration file that restores all views.
 */
export function serializeState(state: LectureState, { all = false }: { all?: boolean } = {}): string {
  const parts: string[] = [];
  for (const p of PROPS) {
    const text = propText(p, state[p.name]);
    if (!all) {
      const view = viewOfProp(p.name);
      if (view !== null && view !== state.view) continue;
      if (text === propText(p, DEFAULTS[p.name])) continue;
    }
    parts.push(`${p.key}=${encodeURIComponent(text)}`);
  }
  return parts.join('&');
}

/**
 * Parse a URL hash (with or without '#'). Missing keys take `base`'s values (the defaults);
 * invalid ones take the defaults, with a note.
 */
export function parseState(hash: string, base: LectureState = DEFAULTS): ParseResult<LectureState> {
  const result = parseHash(PROPS, DEFAULTS, hash, base);
  if (result.state.depth > result.state.layers) result.state.depth = result.state.layers;
  return result;
}

/**
 * A link read while the page is open: the other views' settings, which a short link does not
 * carry, stay as they are (back and forward must not reset a view that is not shown).
 */
export function parseLink(hash: string, current: LectureState): ParseResult<LectureState> {
  const view = parseState(hash).state.view;
  const base = { ...DEFAULTS };
  const writable = base as unknown as Record<string, unknown>;
  for (const p of PROPS) {
    const v = viewOfProp(p.name);
    if (v !== null && v !== view) writable[p.name] = current[p.name];
  }
  return parseState(hash, base);
}

/** True when changing from `a` to `b` touched only continuous properties (history: replace, not push). */
export function onlyContinuousChanges(a: LectureState, b: LectureState): boolean {
  return PROPS.every((p) => p.continuous || a[p.name] === b[p.name]);
}
