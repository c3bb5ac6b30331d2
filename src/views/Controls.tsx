// The settings sidebar: every engine and data-set option, grouped. Hidden in presentation mode.
import { useLecture } from '../state/store';
import { PropControl, PropControls } from './PropControl';
import { DataSection } from './data/DataSection';
import { EngineInfo } from './Notices';

function Group({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <fieldset className="group">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

export function Controls() {
  const model = useLecture((s) => s.model);
  const residual = useLecture((s) => s.residual);
  const compare = useLecture((s) => s.compare);
  const usesContra = useLecture((s) => s.normA === 'contranorm' || (s.compare && s.normB === 'contranorm'));
  const usesPair = useLecture((s) => s.normA === 'pairnorm' || (s.compare && s.normB === 'pairnorm'));
  return (
    <aside className="controls" aria-label="Settings" data-testid="controls">
      <Group title="Model">
        <PropControls names={['model', 'layers', 'hidden']} />
        {model === 'gnn' ? <PropControl name="adjacency" /> : <PropControl name="normPlacement" />}
        <PropControl name="activation" />
        <PropControl name="residual" />
        {residual !== 'none' ? <PropControl name="alpha" /> : null}
      </Group>
      <Group title="Normalization">
        <PropControl name="normA" label={compare ? 'Panel A (left)' : 'Normalization'} />
        {compare ? <PropControl name="normB" label="Panel B (right)" /> : null}
        <div className={usesContra ? '' : 'dimmed'}>
          <PropControls names={['s', 'tau', 'variant']} />
        </div>
        {usesPair ? <PropControl name="pairnormScale" /> : null}
      </Group>
      <Group title="Weights">
        <PropControls names={['init', 'gain', 'tied', 'weightSeed']} />
      </Group>
      <DataSection />
      <Group title="View">
        <PropControl name="projection" />
        <PropControl name="centered" />
        {model === 'gnn' ? <PropControl name="edges" /> : null}
        <PropControls names={['theory', 'speed', 'engineChoice']} />
        <EngineInfo />
      </Group>
    </aside>
  );
}
