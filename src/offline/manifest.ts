// What the build tells the service worker: the files of this deployment and a version that
// changes whenever any of them does (a changed sw.js is how browsers notice a new deployment).

export interface PrecacheManifest {
  /** A hash of every shipped file's name and bytes. */
  version: string;
  /** Paths relative to sw.js (which sits beside index.html): `index.html`, `assets/…`, public files. */
  files: string[];
}

/** The file served for the app's own page (the folder URL and `index.html` alike). */
export const APP_PAGE = 'index.html';

/** The service worker's file name, at the root of the built site (its scope is that folder). */
export const SERVICE_WORKER_FILE = 'sw.js';
