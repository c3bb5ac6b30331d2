// The gradients-and-training view (issue 5): gradient norms and similarity per layer, and
// training a GCN live. Owned by the training work; see src/training/.
export function TrainingView() {
  return (
    <main className="view-page" data-testid="training-view">
      <p>The gradient and training view is being built.</p>
    </main>
  );
}
