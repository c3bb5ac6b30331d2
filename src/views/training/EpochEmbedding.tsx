// The last layer's representations H_L through training: each snapshot the trainer sent is
// row-normalized and projected on its top two principal axes, consecutive snapshots aligned by
// Procrustes (src/views/projection.ts, with epochs in the place of layers), coloured by class.
import { useEffect, useMemo, useRef, useState } from 'react';
import { buildDataset } from '../../data/datasets';
import type { DatasetSpec } from '../../engine/types';
import { LayerProjections } from '../projection';
import { OKABE_ITO } from '../plot/theme';
import { useSize } from '../useSize';
import type { Snapshot } from '../../runtime/training';

function labelsOf(spec: DatasetSpec | null): { labels: Int32Array | null; classes: number } {
  if (!spec) return { labels: null, classes: 0 };
  try {
    const ds = buildDataset(spec);
    return { labels: ds.labels ?? null, classes: ds.numClasses ?? 0 };
  } catch {
    return { labels: null, classes: 0 };
  }
}

function countNonFinite(x: Float32Array): number {
  let bad = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) bad++;
  return bad;
}

export function EpochEmbedding({
  snapshots,
  hidden,
  dataset,
  running,
}: {
  snapshots: Snapshot[];
  hidden: number;
  dataset: DatasetSpec | null;
  running: boolean;
}) {
  const [boxRef, size] = useSize<HTMLDivElement>();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // null: follow the newest snapshot (while training); a number: the snapshot the reader picked.
  const [picked, setPicked] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  // Keyed by content: the spec object is rebuilt on every render, the data set is not.
  const datasetKey = JSON.stringify(dataset);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const { labels, classes } = useMemo(() => labelsOf(dataset), [datasetKey]);
  const n = snapshots.length ? snapshots[0].embeddings.length / hidden : 0;
  const projections = useMemo(
    () =>
      new LayerProjections(
        snapshots.map((s) => ({
          features: s.embeddings,
          width: hidden,
          nonFinite: countNonFinite(s.embeddings),
        })),
        n,
        'pca-aligned',
      ),
    [snapshots, hidden, n],
  );
  const index = picked === null ? snapshots.length - 1 : Math.min(picked, snapshots.length - 1);
  const snap = index >= 0 ? snapshots[index] : null;
  const coords = snap ? projections.get(index) : null;

  useEffect(() => {
    if (snapshots.length === 0) setPicked(null);
  }, [snapshots.length]);

  useEffect(() => {
    if (!playing) return;
    const timer = window.setInterval(() => {
      setPicked((p) => {
        const next = (p ?? -1) + 1;
        if (next >= snapshots.length - 1) {
          setPlaying(false);
          return null;
        }
        return next;
      });
    }, 120);
    return () => window.clearInterval(timer);
  }, [playing, snapshots.length]);

  const side = Math.max(120, Math.floor(Math.min(size.width, size.height)));
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = side * dpr;
    canvas.height = side * dpr;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, side, side);
    // The unit circle: row-normalized points lie inside it.
    const r = side / 2 - 8;
    ctx.strokeStyle = '#d5d9e2';
    ctx.beginPath();
    ctx.arc(side / 2, side / 2, r, 0, 2 * Math.PI);
    ctx.stroke();
    if (!coords) return;
    const radius = n > 1000 ? 1.6 : 3;
    for (let i = 0; i < n; i++) {
      const c = labels && labels[i] >= 0 ? labels[i] : -1;
      ctx.fillStyle = c >= 0 ? OKABE_ITO[c % OKABE_ITO.length] : '#8a93a6';
      ctx.globalAlpha = 0.8;
      ctx.beginPath();
      ctx.arc(side / 2 + coords[2 * i] * r, side / 2 - coords[2 * i + 1] * r, radius, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }, [coords, side, n, labels]);

  const broken = snap !== null && coords === null;
  return (
    <div
      className="tr-embed"
      data-testid="train-embedding"
      data-epoch={snap?.epoch ?? ''}
      data-snapshots={snapshots.length}
    >
      <div className="tr-embed-head">
        <strong>Embedding of H_L</strong>
        <span className="tr-muted">
          {snap ? `epoch ${snap.epoch}` : running ? 'waiting for the first snapshot…' : 'train to see it'}
          {classes ? ` · ${classes} classes` : ''}
        </span>
      </div>
      <div className="tr-embed-box" ref={boxRef}>
        <canvas
          ref={canvasRef}
          style={{ width: side, height: side }}
          data-drawn-points={coords ? n : 0}
          aria-label="2-D PCA of the last layer's representations, coloured by class"
        />
        {broken ? (
          <p className="overlay-note error">
            H_L holds NaN or infinite values at this epoch: nothing to draw.
          </p>
        ) : null}
      </div>
      <div className="tr-embed-bar">
        <button
          type="button"
          onClick={() => setPlaying((p) => !p)}
          disabled={snapshots.length < 2 || running}
          aria-label={playing ? 'Pause' : 'Play the epochs'}
        >
          {playing ? '❚❚' : '▶'}
        </button>
        <input
          type="range"
          min={0}
          max={Math.max(0, snapshots.length - 1)}
          step={1}
          value={Math.max(0, index)}
          disabled={snapshots.length < 2}
          onChange={(e) => {
            const v = Number(e.target.value);
            setPicked(v >= snapshots.length - 1 ? null : v);
          }}
          aria-label="Epoch of the embedding"
          data-testid="embedding-epoch"
        />
      </div>
    </div>
  );
}
