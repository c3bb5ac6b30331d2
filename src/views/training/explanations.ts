// What the reader sees in each part of the training view, in two sentences, with its sources.
// The sentences describe what the plots measure and what the cited papers report; the numbers
// on the page are always this page's own.

export interface Explanation {
  text: string;
  sources: string;
}

export const GRADIENT_TEXT: Explanation = {
  text:
    'Each column backpropagates the training loss once through a freshly initialized GCN and shows, per layer ℓ, the size of the gradient ‖G_ℓ‖_F = ‖∂loss/∂H_ℓ‖_F (top, log axis) and how alike its rows are, μ(G_ℓ), beside the same measure of the representation, μ(H_ℓ) (0 means every node gets the same vector). ' +
    'Park and Kim call the loss of gradient diversity in a plain stack gradient oversmoothing, and the growth of the gradient in residual stacks gradient expansion, which they tame by bounding every layer’s Lipschitz constant.',
  sources:
    'Park & Kim 2024, “Taming Gradient Oversmoothing and Expansion in Graph Neural Networks”, arXiv 2410.04824. The Lipschitz-bounded residual here, H′ = (H + α·Z)/(1 + α‖W‖₂‖Â‖₂), holds every layer’s Lipschitz bound to 1; it stands in for the authors’ normalization, whose exact formula was not available to this page (only the paper’s abstract).',
};

export const TRAIN_TEXT: Explanation = {
  text:
    'The GCN is trained with Adam on the labelled training nodes only; the curves show the loss and the accuracy on the training, validation and test nodes after every epoch, and the scatter is a 2-D PCA of the last layer’s representations H_L, coloured by class, as training proceeds. ' +
    'With many layers and no normalization the representations collapse and the accuracy stays near chance; ContraNorm, a step on a uniformity loss after every layer, keeps them apart.',
  sources:
    'Guo, Wang, Du, Wang, “ContraNorm: A Contrastive Learning Perspective on Oversmoothing and Beyond”, ICLR 2023; hyper-parameters as in the authors’ GCN code.',
};

export const SWEEP_TEXT: Explanation = {
  text:
    'Each filled point trains fresh models at that depth and reports the test accuracy at the epoch of best validation accuracy (the ContraNorm authors’ protocol), averaged over the seeds, the bar spanning the lowest to the highest seed. ' +
    'The dashed lines with hollow markers are the figures the ContraNorm authors published for Cora, drawn only for reference: compare the trends, and the values only when our data set is Cora with its public split.',
  sources: 'Guo et al., ICLR 2023 (published figures: the authors’ plotting script, Cora, test accuracy %).',
};
