// The main job on the bundled examples: `podnet check` on every cluster under examples/.
// Clean clusters must give no error and no warning; a `broken-*` cluster is there to show what Podnet
// catches, so its findings are printed and it must give at least one error. Exits 1 when either fails.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const examples = join(root, 'examples');
const folders = readdirSync(examples)
  .filter((name) => statSync(join(examples, name)).isDirectory())
  .sort();

const check = (folder) =>
  spawnSync(process.execPath, [cli, 'check', join('examples', folder)], { cwd: root, encoding: 'utf8' });

const failures = [];
for (const folder of folders) {
  const result = check(folder);
  if (result.error || result.status === 2 || result.status === null) {
    failures.push(`${folder}: podnet check did not run (${result.error ?? result.stderr.trim()})`);
    continue;
  }
  const summary = result.stdout.trim().split('\n').pop();
  if (folder.startsWith('broken-')) {
    console.log(`== ${folder}: deliberately broken, here is what Podnet catches`);
    process.stdout.write(result.stdout);
    if (result.status !== 1) failures.push(`${folder}: expected errors, got "${summary}"`);
  } else {
    console.log(`== ${folder}: ${summary}`);
    if (result.status !== 0 || !/^0 errors, 0 warnings/.test(summary)) {
      process.stdout.write(result.stdout);
      failures.push(`${folder}: expected no error and no warning, got "${summary}"`);
    }
  }
}

if (failures.length > 0) {
  console.error(`\ncheck-examples failed:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  process.exit(1);
}
console.log(`\n${folders.length} example clusters checked: the clean ones are clean, the broken ones are caught.`);
