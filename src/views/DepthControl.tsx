// The depth slider (0..L, fractional while playing), its readout, play/pause and speed.
import { useLecture, useLectureFields } from '../state/store';
import { PropControl } from './PropControl';

export function DepthControl() {
  const { depth, layers, playing, set } = useLectureFields('depth', 'layers', 'playing', 'set');
  const { speed, presentation, classroom } = useLectureFields('speed', 'presentation', 'classroom');
  const contra = useLecture((s) => s.normA === 'contranorm' || (s.compare && s.normB === 'contranorm'));
  const step = (delta: number) => set({ depth: Math.round(depth) + delta, playing: false });
  return (
    <div className="depth-bar" data-testid="depth-bar">
      <button
        type="button"
        className="play"
        // Pausing lands on a whole layer: a class reads "layer 41", not "41.1".
        onClick={() => set(playing ? { playing: false, depth: Math.round(depth) } : { playing: true })}
        aria-label={playing ? 'Pause' : 'Play'}
        data-testid="play"
        title="Play the depth from 0 to L, or pause on the nearest layer (space)"
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <label htmlFor="depth-slider" className="depth-label">
        Depth
      </label>
      <input
        id="depth-slider"
        data-testid="depth-slider"
        title="The layer shown: drag, or use ← → (space plays from 0 to L)"
        type="range"
        min={0}
        max={layers}
        step={0.01}
        value={depth}
        aria-valuetext={`layer ${depth.toFixed(1)} of ${layers}`}
        onChange={(e) => set({ depth: Number(e.target.value), playing: false })}
        onKeyDown={(e) => {
          const keys: Record<string, number> = {
            ArrowRight: 1,
            ArrowUp: 1,
            ArrowLeft: -1,
            ArrowDown: -1,
            PageUp: 8,
            PageDown: -8,
          };
          if (e.key in keys) {
            e.preventDefault();
            e.stopPropagation();
            step(keys[e.key]);
          } else if (e.key === 'Home' || e.key === 'End') {
            e.preventDefault();
            set({ depth: e.key === 'Home' ? 0 : layers, playing: false });
          }
        }}
      />
      <input
        type="number"
        className="readout depth-readout"
        aria-label="Depth value"
        title="The layer shown, typed in"
        data-testid="depth-readout"
        min={0}
        max={layers}
        step={1}
        value={Number.isInteger(depth) ? depth : depth.toFixed(1)}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(v)) set({ depth: v, playing: false });
        }}
      />
      <span className="of">/ {layers}</span>
      {presentation && contra && !classroom ? (
        <>
          <PropControl name="s" label="s" compact />
          <PropControl name="tau" label="τ" compact />
        </>
      ) : null}
      <label className="speed">
        <span>Speed</span>
        <select
          value={speed}
          onChange={(e) => set({ speed: Number(e.target.value) })}
          aria-label="Animation speed"
          title="Layers per second while the depth plays"
        >
          {[0.5, 1, 2, 4, 8, 16, 32].map((v) => (
            <option key={v} value={v}>
              {v} layer{v === 1 ? '' : 's'}/s
            </option>
          ))}
          {[0.5, 1, 2, 4, 8, 16, 32].includes(speed) ? null : <option value={speed}>{speed} layers/s</option>}
        </select>
      </label>
    </div>
  );
}
