// Bundles the extension client, the language server, the CLI and the topology webview into dist/ with esbuild.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // jsonc-parser's UMD entry uses a dynamic require that bundles badly; its ESM entry bundles cleanly.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The webview runs in the browser under a nonce-only CSP: one IIFE file, no eval-style source maps
  // (a linked .map file is fetched only by the developer tools).
  {
    entryPoints: ['media/webview/main.ts'],
    outfile: 'dist/webview.js',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
  },
];

// The webview's icons: the codicon font and its stylesheet, served from dist/ under the panel's CSP,
// with the font's licence (CC BY 4.0).
mkdirSync('dist/codicons', { recursive: true });
for (const file of ['dist/codicon.css', 'dist/codicon.ttf', 'LICENSE'])
  copyFileSync(`node_modules/@vscode/codicons/${file}`, `dist/codicons/${file.replace('dist/', '')}`);

if (watch) {
  for (const options of builds) (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
