import { useEffect, useState } from 'react';
import { describeWebGpu, probeWebGpu, type WebGpuStatus } from './webgpuStatus';

export function App() {
  const [gpu, setGpu] = useState<WebGpuStatus>({ state: 'checking' });

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
    <main className="page">
      <h1>Oversmoothing &amp; dimensional collapse</h1>
      <p className="lede">
        Stack enough graph-convolution or self-attention layers and every node&apos;s (or token&apos;s)
        representation drifts toward the same vector — <em>oversmoothing</em> — while the features that remain
        squeeze into a few directions — <em>dimensional collapse</em>. This tool runs such a network layer by
        layer in your browser and shows, for every layer, the singular-value spectrum, effective rank, mean
        cosine similarity and distance to consensus, so you can watch the collapse happen and see what
        normalizations such as PairNorm and ContraNorm do about it.
      </p>
      <p className={`status status-${gpu.state}`} role="status" data-testid="webgpu-status">
        {describeWebGpu(gpu)}
      </p>
    </main>
  );
}
