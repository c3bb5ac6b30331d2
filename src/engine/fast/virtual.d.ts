// The fast CPU engine's WebAssembly module, base64-encoded (wasm/plugin.ts builds it).
declare module 'virtual:fast-kernels' {
  const wasmBase64: string;
  export default wasmBase64;
}
