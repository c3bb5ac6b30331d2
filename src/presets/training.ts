// Scenarios of the gradients-and-training view: a title, two sentences for the lecturer, and the
// settings that differ from TRAINING_DEFAULTS (src/state/training.ts). Loading one resets the
// view's other settings, so a preset always shows the same picture; the data set is kept.
import type { TrainingState } from '../state/training';

export interface TrainingPreset {
  id: string;
  title: string;
  explanation: string;
  settings: Partial<TrainingState>;
}

export const TRAINING_PRESETS: readonly TrainingPreset[] = [
  {
    id: 'three-stacks',
    title: 'Gradients through 64 layers: plain, residual, Lipschitz-bounded',
    explanation:
      'The three stacks differ only in their skip connection. Compare the gradient norms at the input end (ℓ = 0) and the gradient similarity μ(G_ℓ) across the three columns.',
    settings: { tPane: 'gradients', tgLayers: 64, tgNorm: 'none' },
  },
  {
    id: 'three-stacks-256',
    title: 'Gradients through 256 layers',
    explanation:
      'The same three stacks, four times deeper. On the CPU trainer this takes a few seconds; the columns fill in one after the other.',
    settings: { tPane: 'gradients', tgLayers: 256, tgNorm: 'none' },
  },
  {
    id: 'deep-plain',
    title: 'Training a 16-layer GCN without normalization',
    explanation:
      'Sixteen plain graph convolutions smooth the representations so much that the classifier has little left to separate. Watch the embedding scatter and the test accuracy.',
    settings: { tPane: 'train', tLayers: 16, tNorm: 'none' },
  },
  {
    id: 'deep-contranorm',
    title: 'Training a 16-layer GCN with ContraNorm',
    explanation:
      'The same 16 layers with ContraNorm after every convolution. Compare the accuracy curves and the spread of the embedding with the plain run.',
    settings: { tPane: 'train', tLayers: 16, tNorm: 'contranorm' },
  },
  {
    id: 'depth-sweep',
    title: 'Accuracy against depth, beside the published Cora figures',
    explanation:
      'Depths 2 to 32 for four normalizations, three seeds each. The dashed lines are the ContraNorm authors’ published Cora numbers, for reference.',
    settings: { tPane: 'sweep' },
  },
];

export function trainingPresetById(id: string): TrainingPreset | undefined {
  return TRAINING_PRESETS.find((p) => p.id === id);
}
