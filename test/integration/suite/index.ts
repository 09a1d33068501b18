// The integration suite's entry, in @vscode/test-electron's format: VS Code loads this file in the
// extension host (`extensionTestsPath`) and calls run(). It runs every *.test.js beside it with mocha,
// and also writes the counts to $PODNET_TEST_RESULTS so a runner outside the editor can read them.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface SuiteResults {
  passed: number;
  failed: number;
  failures: Array<{ title: string; error: string }>;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, color: false });
  const here = __dirname;
  for (const file of fs
    .readdirSync(here)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(here, file));
  const results: SuiteResults = { passed: 0, failed: 0, failures: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const target = process.env.PODNET_TEST_RESULTS;
      if (target) fs.writeFileSync(target, JSON.stringify(results, null, 2));
      console.log(`integration: ${results.passed} passed, ${results.failed} failed`);
      if (failures > 0) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
    runner.on('pass', () => {
      results.passed++;
    });
    runner.on('fail', (test, error: Error) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: String(error?.stack ?? error) });
    });
  });
}
