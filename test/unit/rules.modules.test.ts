// Rule modules follow one shape: each exports a single `check<Group>(context)` rule module and shares
// helpers only through core/ and model/ (or the rule framework), never by importing another rule module.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { RULE_MODULES } from '../../server/src/rules';
import { REPO_ROOT } from './helpers';

const RULES_DIR = path.join(REPO_ROOT, 'server', 'src', 'rules');
/** The rule framework: what modules see (types), the declaration (registry), the list (index), the docs. */
const FRAMEWORK = new Set(['types.ts', 'registry.ts', 'index.ts', 'catalogue.ts']);
const RULE_FILES = fs
  .readdirSync(RULES_DIR)
  .filter((name) => name.endsWith('.ts') && !FRAMEWORK.has(name))
  .sort();

/** The module specifiers of every import and re-export of a source text. */
function importsOf(source: string): string[] {
  const pattern = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((m) => m[1] ?? m[2]);
}

/** What a rule module may import from its own folder: the framework, never another rule module. */
const isAllowedSibling = (specifier: string) =>
  !specifier.startsWith('./') || FRAMEWORK.has(`${specifier.slice(2)}.ts`);

test('importsOf finds static imports, type imports, re-exports and dynamic imports', () => {
  const source = [
    "import { a } from './netconf';",
    "import {\n  type B,\n  c,\n} from '../model/x';",
    "export { d } from './backend';",
    "const e = await import('./names');",
    "import type { F } from './types';",
  ].join('\n');
  assert.deepEqual(importsOf(source), ['./netconf', '../model/x', './backend', './names', './types']);
  assert.deepEqual(
    importsOf(source).filter((s) => !isAllowedSibling(s)),
    ['./netconf', './backend', './names'],
  );
});

test('no rule module imports another rule module', () => {
  assert.ok(RULE_FILES.length >= 9, `rule modules found: ${RULE_FILES.join(', ')}`);
  for (const file of RULE_FILES) {
    const source = fs.readFileSync(path.join(RULES_DIR, file), 'utf8');
    const siblings = importsOf(source).filter((specifier) => !isAllowedSibling(specifier));
    assert.deepEqual(siblings, [], `${file} imports other rule modules; move shared helpers to core/ or model/`);
  }
});

test('every rule module exports exactly one check<Group>(context) function, listed in RULE_MODULES', () => {
  const listed = new Set<unknown>(RULE_MODULES);
  for (const file of RULE_FILES) {
    const source = fs.readFileSync(path.join(RULES_DIR, file), 'utf8');
    const exported = [...source.matchAll(/^export\s+(?:async\s+)?(\w+)\s+(\w+)/gm)].map(
      ([, kind, name]) => `export ${kind} ${name}`,
    );
    assert.equal(exported.length, 1, `${file} exports one thing, not: ${exported.join('; ')}`);
    assert.match(exported[0], /^export function check[A-Z]\w*$/, `${file} exports a check function`);
    assert.doesNotMatch(source, /^export\s*\{/m, `${file} has no export list`);

    const compiled = path.join(__dirname, '..', '..', 'server', 'src', 'rules', file.replace(/\.ts$/, '.js'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const values = Object.values(require(compiled) as Record<string, unknown>);
    assert.equal(values.length, 1, `${file} exports one value`);
    const [check] = values;
    assert.equal(typeof check, 'function');
    assert.equal((check as (context: unknown) => void).length, 1, `${file}: check takes the rule context`);
    assert.ok(listed.has(check), `${file}'s check function is in RULE_MODULES`);
    listed.delete(check);
  }
  assert.equal(listed.size, 0, 'RULE_MODULES lists only the rule modules of server/src/rules');
});
