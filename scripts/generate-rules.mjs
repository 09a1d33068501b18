// `npm run generate:rules`: writes README's rule tables and package.json's `podnet.rules` settings schema
// from the rule declaration (server/src/rules/registry.ts, rendered by server/src/rules/catalogue.ts).
// `--check` writes nothing and exits 1 when either file differs from what the declaration gives;
// `--root=<dir>` works on the README.md and package.json of another folder (the tests use a copy).
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const targetRoot = process.argv.find((arg) => arg.startsWith('--root='))?.slice('--root='.length) ?? root;

/** The catalogue module, bundled in memory with the declaration it renders (it imports nothing else). */
async function loadCatalogue() {
  const result = await build({
    entryPoints: [join(root, 'server', 'src', 'rules', 'catalogue.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    logLevel: 'error',
  });
  const module = { exports: {} };
  new Function('module', 'exports', result.outputFiles[0].text)(module, module.exports);
  return module.exports;
}

const catalogue = await loadCatalogue();
const targets = [
  { file: 'README.md', render: catalogue.withReadmeRules, what: 'rule tables' },
  { file: 'package.json', render: catalogue.withRuleSettings, what: 'podnet.rules settings schema' },
];

let drift = 0;
for (const { file, render, what } of targets) {
  const path = join(targetRoot, file);
  const current = readFileSync(path, 'utf8');
  const generated = render(current);
  if (generated === current) {
    console.log(`${file}: ${what} up to date`);
  } else if (check) {
    console.error(`${file}: ${what} differ from the rule declaration; run npm run generate:rules`);
    drift++;
  } else {
    writeFileSync(path, generated);
    console.log(`${file}: ${what} regenerated`);
  }
}
process.exit(drift > 0 ? 1 : 0);
