// Per-kernel GPU times from 'timestamp-query', for the benchmark's kernel table. Each profiled
// dispatch runs in a compute pass of its own whose begin and end timestamps bracket it; the
// timestamps are resolved and read back after the submit, off the engine's critical path
// (`flush` awaits them all). Profiling changes the pass structure, so a profiled run is a
// measurement of the kernels, not of the engine's wall time.

const MAX_QUERIES = 4096; // WebGPU's limit on one query set

export interface KernelTime {
  /** Summed GPU time in milliseconds. */
  ms: number;
  dispatches: number;
}

interface PendingRead {
  read: GPUBuffer;
  names: string[];
  done: Promise<void>;
}

export class KernelProfile {
  readonly times = new Map<string, KernelTime>();
  /** Dispatches that did not fit a query set and were not timed. */
  untimed = 0;
  private pending: PendingRead[] = [];

  /** Start a submit of at most `dispatches` dispatches; returns the per-pass timestamp writer. */
  begin(device: GPUDevice, dispatches: number) {
    const count = Math.min(MAX_QUERIES, Math.max(2, 2 * dispatches));
    const querySet = device.createQuerySet({ type: 'timestamp', count });
    const resolveBuf = device.createBuffer({
      size: count * 8,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    const read = device.createBuffer({
      size: count * 8,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const names: string[] = [];
    return {
      next: (name: string): GPUComputePassTimestampWrites | undefined => {
        if (2 * names.length + 2 > count) {
          this.untimed++;
          return undefined;
        }
        const i = 2 * names.length;
        names.push(name);
        return { querySet, beginningOfPassWriteIndex: i, endOfPassWriteIndex: i + 1 };
      },
      resolve: (encoder: GPUCommandEncoder) => {
        if (names.length === 0) return;
        encoder.resolveQuerySet(querySet, 0, 2 * names.length, resolveBuf, 0);
        encoder.copyBufferToBuffer(resolveBuf, 0, read, 0, 2 * names.length * 8);
      },
      collect: () => {
        querySet.destroy();
        resolveBuf.destroy();
        if (names.length === 0) {
          read.destroy();
          return;
        }
        const done = read.mapAsync(GPUMapMode.READ).then(() => {
          const t = new BigUint64Array(read.getMappedRange());
          names.forEach((name, k) => {
            const ns = Number(t[2 * k + 1]! - t[2 * k]!);
            const entry = this.times.get(name) ?? { ms: 0, dispatches: 0 };
            // A zero or wrapped pair (the implementation may quantize or reorder) counts as 0.
            entry.ms += ns > 0 && ns < 1e12 ? ns / 1e6 : 0;
            entry.dispatches++;
            this.times.set(name, entry);
          });
          read.unmap();
          read.destroy();
        });
        this.pending.push({ read, names, done });
      },
    };
  }

  /** Wait for every outstanding readback of timestamps. */
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending.map((p) => p.done));
  }

  clear(): void {
    this.times.clear();
    this.untimed = 0;
  }

  /** Kernels by GPU time, with their share of the total. */
  table(): { kernel: string; ms: number; dispatches: number; share: number }[] {
    const total = [...this.times.values()].reduce((a, t) => a + t.ms, 0);
    return [...this.times.entries()]
      .map(([kernel, t]) => ({
        kernel,
        ms: t.ms,
        dispatches: t.dispatches,
        share: total > 0 ? t.ms / total : 0,
      }))
      .sort((a, b) => b.ms - a.ms);
  }
}
