// Buffers the engine keeps across groups and runs instead of creating per group: a storage
// buffer that grows on demand, and a readback (MAP_READ) buffer with its pending map.

/** A buffer of at least the asked size, recreated (larger) only when a request outgrows it. */
export class GrowBuffer {
  private buffer: GPUBuffer | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly label: string,
    private readonly usage: number,
  ) {}

  get(bytes: number): GPUBuffer {
    if (!this.buffer || this.buffer.size < bytes) {
      // Destroying a buffer that submitted work still uses is deferred until that work is done.
      this.buffer?.destroy();
      const size = Math.max(256, Math.ceil((bytes * 1.25) / 256) * 256);
      this.buffer = this.device.createBuffer({ label: this.label, size, usage: this.usage });
    }
    return this.buffer;
  }

  destroy(): void {
    this.buffer?.destroy();
    this.buffer = null;
  }
}

/** A readback buffer: reserve, copy into it, startMap after the submit, await map() later. */
export class Staging {
  private buf: GPUBuffer | null = null;
  private mapping: Promise<void> | null = null;
  private bytes = 0;

  constructor(private readonly device: GPUDevice) {}

  get buffer(): GPUBuffer {
    if (!this.buf) throw new Error('staging buffer used before reserve()');
    return this.buf;
  }

  reserve(bytes: number): void {
    this.bytes = Math.ceil(bytes / 8) * 8;
    if (!this.buf || this.buf.size < this.bytes) {
      this.buf?.destroy();
      this.buf = this.device.createBuffer({
        label: 'readback',
        size: Math.max(256, Math.ceil((this.bytes * 1.25) / 256) * 256),
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
    }
  }

  /** Ask for the mapping of the reserved range (after the submit that fills it). */
  startMap(): void {
    const mapping = this.buffer.mapAsync(GPUMapMode.READ, 0, this.bytes);
    // A run that fails before awaiting this map unmaps the buffer, which rejects the map: handled.
    mapping.catch(() => undefined);
    this.mapping = mapping;
  }

  map(): Promise<void> {
    if (!this.mapping) throw new Error('staging buffer: map() before startMap()');
    return this.mapping;
  }

  /** Unmap if mapped (after a failed run), so the buffer can be reused. */
  release(): void {
    if (this.buf && this.buf.mapState !== 'unmapped') this.buf.unmap();
    this.mapping = null;
  }

  destroy(): void {
    this.buf?.destroy();
    this.buf = null;
    this.mapping = null;
  }
}
