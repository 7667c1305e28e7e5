import type { Reporter, TestModule } from 'vitest/node';

/** Prints "contained N/M" last: how many hostile apps the runtime contained, of how many ran. */
export default class ContainedReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let contained = 0;
    let total = 0;
    for (const testModule of testModules) {
      for (const testCase of testModule.children.allTests()) {
        total++;
        if (testCase.result().state === 'passed') contained++;
      }
    }
    process.stdout.write(`\ncontained ${contained}/${total}\n`);
  }
}
