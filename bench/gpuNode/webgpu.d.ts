// The `webgpu` npm package (Dawn for Node.js) is installed only where bench/gpuNode runs.
declare module 'webgpu';
