// Records the largest GPUBuffer any device in the page creates, by wrapping
// GPUDevice.prototype.createBuffer (installed before any device exists). The bench resets it
// before a peer's runs and reads it after, to show that nothing of size N² is allocated.

interface Largest {
  bytes: number;
  /** The buffer's label, or its usage when unlabeled (e.g. "MAP_READ|COPY_DST": a readback buffer). */
  label: string;
}

let largest: Largest = { bytes: 0, label: '' };

function usageNames(usage: number): string {
  const names = Object.entries(GPUBufferUsage)
    .filter(([, bit]) => typeof bit === 'number' && (usage & bit) !== 0)
    .map(([name]) => name);
  return names.join('|');
}
let installed = false;

export function installBufferProbe(): void {
  if (installed || typeof GPUDevice === 'undefined') return;
  installed = true;
  const original = GPUDevice.prototype.createBuffer;
  GPUDevice.prototype.createBuffer = function (this: GPUDevice, descriptor: GPUBufferDescriptor): GPUBuffer {
    if (descriptor.size > largest.bytes)
      largest = {
        bytes: descriptor.size,
        label: descriptor.label || `unlabeled, usage ${usageNames(descriptor.usage)}`,
      };
    return original.call(this, descriptor);
  };
}

export function resetLargestBuffer(): void {
  largest = { bytes: 0, label: '' };
}

export function largestBuffer(): Largest {
  return { ...largest };
}
