/** What this browser offers for WebGPU, in words a lecturer can act on. */
export type WebGpuStatus =
  | { state: 'checking' }
  | { state: 'available'; architecture: string; vendor: string; description: string }
  | { state: 'unavailable'; reason: string };

/** Ask the browser for a WebGPU adapter. Never throws. */
export async function probeWebGpu(): Promise<WebGpuStatus> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    const reason =
      typeof window !== 'undefined' && !window.isSecureContext
        ? 'navigator.gpu is missing because the page is not a secure context (serve it over HTTPS or from localhost).'
        : 'navigator.gpu is missing. Use a recent Chrome or Edge, or a browser with WebGPU enabled.';
    return { state: 'unavailable', reason: `This browser has no WebGPU: ${reason}` };
  }
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter)
      return {
        state: 'unavailable',
        reason:
          'WebGPU is present but no GPU adapter was granted (no supported GPU, or WebGPU is blocked for it on this system).',
      };
    const { architecture, vendor, description } = adapter.info;
    return { state: 'available', architecture, vendor, description };
  } catch (err) {
    return { state: 'unavailable', reason: `Requesting a WebGPU adapter failed: ${String(err)}` };
  }
}

export function describeWebGpu(status: WebGpuStatus): string {
  switch (status.state) {
    case 'checking':
      return 'Checking for WebGPU…';
    case 'available': {
      const name = [status.vendor, status.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
      return `WebGPU is available: ${name}${status.description ? ` (${status.description})` : ''}.`;
    }
    case 'unavailable':
      return status.reason;
  }
}
