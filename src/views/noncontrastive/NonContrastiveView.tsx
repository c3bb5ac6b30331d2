// The SimSiam / BYOL view: linear non-contrastive learning, Euclidean vs cosine loss,
// trained side by side in a worker (src/noncontrastive/). Controls on the left; on the right the
// words, the two spectra with the ODE, the phase diagram, the predictor and the two point clouds.
import { useEffect, useState } from 'react';
import { startNcClient, type NcController } from '../../runtime/noncontrastive';
import { useNcRun } from '../../runtime/noncontrastive';
import { aliveModes } from '../../noncontrastive/trainer';
import { NcControls } from './NcControls';
import { NcLesson } from './NcLesson';
import { PhaseDiagram } from './PhaseDiagram';
import { lastRecord } from './plotData';
import { PredictorPanel } from './PredictorPanel';
import { ProjectionPanel } from './ProjectionPanel';
import { SpectrumPanel } from './SpectrumPanel';

export function NonContrastiveView() {
  const [ctl, setCtl] = useState<NcController | null>(null);
  useEffect(() => {
    const c = startNcClient();
    setCtl(c);
    return () => c.dispose();
  }, []);
  const run = useNcRun();
  const e = lastRecord(run, 'euclidean');
  const c = lastRecord(run, 'cosine');
  // Numbers for tests and scripts (the store is on window.ncRun too).
  const data = {
    'data-step': run.step,
    'data-playing': run.playing,
    'data-euclidean-alive': e ? aliveModes(e.eigW) : '',
    'data-cosine-alive': c ? aliveModes(c.eigW) : '',
    'data-euclidean-top': e ? String(e.eigW[0]) : '',
    'data-cosine-top': c ? String(c.eigW[0]) : '',
    'data-euclidean-diverged': String(run.divergedAt.euclidean ?? ''),
    'data-cosine-diverged': String(run.divergedAt.cosine ?? ''),
  };
  return (
    <main className="view-page nc-page" data-testid="noncontrastive-view" {...data}>
      <NcControls ctl={ctl} />
      <div className="nc-stage">
        <NcLesson />
        <div className="nc-grid">
          <SpectrumPanel kind="euclidean" />
          <SpectrumPanel kind="cosine" />
          <PhaseDiagram />
          <ProjectionPanel kind="euclidean" />
          <ProjectionPanel kind="cosine" />
          <PredictorPanel />
        </div>
      </div>
    </main>
  );
}
