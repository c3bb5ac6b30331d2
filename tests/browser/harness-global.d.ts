// Types of the harness page's globals, for the page's own code and for tests that call
// `page.evaluate(() => window.harness.someCase(...))`.
import type * as Cases from './cases/index';

declare global {
  /** The named async case functions of tests/browser/cases (see harness.ts). */
  type Harness = typeof Cases;

  interface Window {
    harness: Harness;
    /** Set once `window.harness` is usable. */
    harnessReady?: boolean;
    /** Set when the harness (or a case module) failed to load. */
    harnessError?: string;
  }
}

export {};
