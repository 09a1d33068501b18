// `npm run demo`: the packaged extension in a local code-server on 127.0.0.1, with its own data
// folders, opened on a copy of the bundled example clusters. Prints the URL; Ctrl+C stops everything.
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT, startCodeServer } from './codeServer';
import { makeWorkspace, removeWorkspace } from './run';

async function main(): Promise<void> {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const vsix = path.join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);
  const workspace = makeWorkspace();
  const port = Number(process.env.PODNET_DEMO_PORT ?? 0) || undefined;
  const server = await startCodeServer({ workspace, vsix: [vsix], port });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping code-server…\n');
    await server.stop();
    removeWorkspace(workspace);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.process.once('exit', (code) => {
    if (!stopping) process.stderr.write(`code-server exited (${code}):\n${server.log()}\n`);
    void stop();
  });
  process.stdout.write(`Podnet demo: open ${server.url}/?folder=${encodeURIComponent(workspace)}\n`);
  process.stdout.write(`Workspace: ${workspace} (a copy of the examples). Press Ctrl+C to stop.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
