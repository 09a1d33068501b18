// Builds a production bundle and packages it as a .vsix with @vscode/vsce, then prints its size and
// contents. Only what runs goes in (see .vscodeignore): no node_modules, sources or tests.
import { execFileSync } from 'child_process';
import { readFileSync, statSync } from 'fs';

const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${pkg.name}-${pkg.version}.vsix`;

run(process.execPath, ['scripts/build.mjs', '--production']);
run(process.execPath, [
  'node_modules/@vscode/vsce/vsce',
  'package',
  '--no-dependencies',
  '--allow-missing-repository',
  '--skip-license',
  '--out',
  out,
]);
const files = execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'ls', '--no-dependencies'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean);
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(1)} KiB, ${files.length} files: ${files.join(', ')}`);
