// The fast CPU engine's WebAssembly module, base64-encoded, in its two builds (wasm/plugin.ts).
declare module 'virtual:fast-kernels' {
  /** 128-bit SIMD. */
  export const plain: string;
  /** 128-bit SIMD and relaxed SIMD (fused multiply-add); not every engine accepts it. */
  export const relaxed: string;
}
