import { useEffect, useRef, useState } from 'react';
import { describeWebGpu, probeWebGpu, type WebGpuStatus } from './webgpuStatus';
import { useLecture, useLectureFields } from './state/store';
import { Controls } from './views/Controls';
import { DepthControl } from './views/DepthControl';
import { EmbeddingView } from './views/EmbeddingView';
import { exportCsv, exportJson, exportPngs, exportSvgs, recordWebm } from './views/exports';
import { DataExportItems } from './views/data/DataExportItems';
import { HelpOverlay } from './views/HelpOverlay';
import { LessonPanel } from './views/LessonPanel';
import { MetricCurves } from './views/MetricCurves';
import { Tabs } from './views/Tabs';
import { FallbackBanner, RunWarnings, Toasts, UrlNotes } from './views/Notices';
import { useShortcuts } from './views/shortcuts';
import { SiteStatus } from './views/SiteStatus';
import { SpectrumHeatmap } from './views/SpectrumHeatmap';
import { SpectrumPlot } from './views/SpectrumPlot';
import { NonContrastiveView } from './views/noncontrastive/NonContrastiveView';
import { TrainingView } from './views/training/TrainingView';
import { VIEW_LABELS, VIEW_VALUES } from './state/page';
import { ClassroomControls, namedKeys } from './views/ClassroomControls';
import { CopyLinkButtons } from './views/ShareLink';
import { StartHere } from './views/StartHere';

/** Short tab names (the full one is the tooltip): the title, the tabs and the buttons fit one row at 1280 px. */
const VIEW_TAB_LABELS = ['Depth', 'Training', 'SimSiam / BYOL'] as const;

/** The page's views as tabs; the choice lives in the URL like every other setting. */
function ViewTabs() {
  const { view, set } = useLectureFields('view', 'set');
  return (
    <Tabs
      values={VIEW_VALUES}
      labels={VIEW_TAB_LABELS}
      selected={view}
      onSelect={(v) => set({ view: v, playing: false })}
      className="view-tabs"
      ariaLabel="Views"
      testIdPrefix="view-tab-"
      title={(_v, i) => `Show the view “${VIEW_LABELS[i]}”`}
    />
  );
}

/** The collapse-through-depth lecture: controls, embedding panels, spectra, metric curves. */
function DepthLecture({ gpu }: { gpu: WebGpuStatus }) {
  const { compare, classroom } = useLectureFields('compare', 'classroom');
  // A classroom link shows the depth bar only when it names it ("d").
  const depthBar = useLecture(
    (s) => !s.classroom || namedKeys(s.show).some((k) => k === 'd' || k === 'play'),
  );
  return (
    <>
      <LessonPanel />
      <div className="body">
        <div className="side">
          <Controls />
          <p className={`status status-${gpu.state}`} role="status" data-testid="webgpu-status">
            {describeWebGpu(gpu)}
          </p>
        </div>
        <main className="stage">
          <FallbackBanner />
          <StartHere />
          <UrlNotes />
          <div className={`views${compare ? ' compare' : ''}`}>
            <EmbeddingView panel="A" />
            {compare ? <EmbeddingView panel="B" /> : null}
            <div className="spectra">
              <SpectrumPlot />
              <SpectrumHeatmap />
            </div>
          </div>
          <RunWarnings />
          <MetricCurves />
          {classroom ? <ClassroomControls /> : null}
          {depthBar ? <DepthControl /> : null}
        </main>
      </div>
    </>
  );
}

/** The header's export menu. Outside the lecture only the plots apply: the training and
 * SimSiam/BYOL views export their own curves (CSV/JSON) from buttons of their own. */
function ExportMenu({ lecture }: { lecture: boolean }) {
  const addToast = useLecture((s) => s.addToast);
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    // Close the menu on a click elsewhere, as menus do.
    const onDown = (e: PointerEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, []);
  const record = () => {
    recordWebm().catch((err: unknown) =>
      addToast(`Recording failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  return (
    <details className="menu" ref={ref}>
      <summary title="Save the plots, the metrics, the points or an animation">Export</summary>
      <div className="menu-items">
        <button type="button" onClick={exportSvgs} data-testid="export-svg">
          Plots (SVG)
        </button>
        {lecture ? <LectureExportItems record={record} /> : null}
      </div>
    </details>
  );
}

function LectureExportItems({ record }: { record: () => void }) {
  return (
    <>
      <button type="button" onClick={exportCsv} data-testid="export-csv">
        Metrics (CSV)
      </button>
      <button type="button" onClick={exportJson} data-testid="export-json">
        Metrics (JSON)
      </button>
      <button type="button" onClick={exportPngs} data-testid="export-png">
        Points (PNG, 2×)
      </button>
      <button type="button" onClick={record} data-testid="export-webm">
        Depth animation (WebM)
      </button>
      <DataExportItems />
    </>
  );
}

export function App() {
  const [gpu, setGpu] = useState<WebGpuStatus>({ state: 'checking' });
  const { presentation, classroom, view } = useLectureFields('presentation', 'classroom', 'view');
  const { compare, set, setHelpOpen } = useLectureFields('compare', 'set', 'setHelpOpen');
  useShortcuts();

  useEffect(() => {
    let live = true;
    void probeWebGpu().then((status) => {
      if (live) setGpu(status);
    });
    return () => {
      live = false;
    };
  }, []);

  return (
    <div
      className={`app${presentation ? ' presentation' : ''}${classroom ? ' classroom' : ''}`}
      data-testid="app"
      data-presentation={presentation}
      data-classroom={classroom}
    >
      <header className="top">
        <h1>Oversmoothing &amp; dimensional collapse</h1>
        <ViewTabs />
        <div className="top-actions">
          {view === 'depth' ? (
            <label
              className="toggle"
              title="Two panels on the same data, seed and weights, differing only in normalization (c)"
            >
              <input
                type="checkbox"
                checked={compare}
                onChange={(e) => set({ compare: e.target.checked })}
                data-testid="compare-toggle"
              />
              Compare
            </label>
          ) : null}
          <button
            type="button"
            onClick={() => set({ presentation: !presentation })}
            aria-pressed={presentation}
            data-testid="presentation-toggle"
            title="Large type and only what the audience needs (p)"
          >
            {presentation ? 'Exit presentation' : 'Present'}
          </button>
          <CopyLinkButtons />
          <ExportMenu lecture={view === 'depth'} />
          <button
            type="button"
            onClick={() => setHelpOpen(true)}
            aria-label="Help: definitions and keyboard shortcuts"
            data-testid="help-button"
            title="Definitions and keyboard shortcuts (?)"
          >
            ?
          </button>
        </div>
      </header>
      {/* The depth view shows the link's notes inside its stage; the others above their content. */}
      {view !== 'depth' ? <UrlNotes /> : null}
      <SiteStatus />
      {view === 'depth' ? <DepthLecture gpu={gpu} /> : null}
      {view === 'training' ? <TrainingView /> : null}
      {view === 'noncontrastive' ? <NonContrastiveView /> : null}
      <Toasts />
      <HelpOverlay />
    </div>
  );
}
