// Runs the integration suite in desktop VS Code with @vscode/test-electron, for machines that can
// download VS Code. (Offline, `npm run test:e2e` runs the same suite in code-server.)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const examples = path.join(root, 'examples');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-ws-'));
  fs.cpSync(examples, workspace, { recursive: true });
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
