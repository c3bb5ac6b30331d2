// Vitest reporter that ends the run with one plain line, `vitest: N passed, N failed, N skipped`,
// so that tools reading only the closing line of a run (CI) can count the tests.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let moduleFailedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') moduleFailedTests++;
        else skipped++;
      }
      // A file that failed outside any test (import error, beforeAll) counts as one failure.
      failed += moduleFailedTests > 0 ? moduleFailedTests : module.state() === 'failed' ? 1 : 0;
    }
    failed += unhandledErrors.length;
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
