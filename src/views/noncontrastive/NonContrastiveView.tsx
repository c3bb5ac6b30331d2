// The SimSiam / BYOL view (issue 6): linear non-contrastive learning, Euclidean vs cosine loss.
// Owned by the non-contrastive work; see src/noncontrastive/.
export function NonContrastiveView() {
  return (
    <main className="view-page" data-testid="noncontrastive-view">
      <p>The SimSiam / BYOL view is being built.</p>
    </main>
  );
}
