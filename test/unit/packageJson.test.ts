// Keeps the extension manifest in step with the code: the settings schema lists exactly the rules the
// registry knows, every contributed command is registered by the client, and the engine stays pinned.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { RULE_IDS } from '../../server/src/rules/registry';
import { DEFAULT_PODNET_SETTINGS } from '../../server/src/protocol';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface SettingSchema {
  type?: string;
  enum?: string[];
  default?: unknown;
  markdownDescription?: string;
  additionalProperties?: boolean;
  properties?: Record<string, SettingSchema>;
}

interface Manifest {
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    configuration: { title: string; properties: Record<string, SettingSchema> };
    commands: Array<{ command: string; title: string; category?: string }>;
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const settings = manifest.contributes.configuration.properties;
const extensionSource = fs.readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');

test('podnet.rules lists every rule id of the registry, and nothing else', () => {
  const rules = settings['podnet.rules'];
  assert.ok(rules?.properties, 'podnet.rules has properties');
  assert.equal(rules.additionalProperties, false);
  assert.deepEqual(Object.keys(rules.properties).sort(), [...RULE_IDS].sort());
  for (const [id, schema] of Object.entries(rules.properties)) {
    assert.deepEqual(schema.enum, ['off', 'error', 'warning', 'information', 'hint'], id);
    assert.ok(schema.markdownDescription, `${id} has a description`);
  }
});

test('every setting the server reads is contributed, with the same default', () => {
  assert.equal(manifest.contributes.configuration.title, 'Podnet');
  for (const [key, value] of Object.entries(DEFAULT_PODNET_SETTINGS)) {
    const schema = settings[`podnet.${key}`];
    assert.ok(schema, `podnet.${key} is contributed`);
    assert.deepEqual(schema.default, value, `default of podnet.${key}`);
  }
  for (const [key, schema] of Object.entries(settings))
    assert.ok(schema.markdownDescription, `${key} has a description`);
  assert.deepEqual(settings['podnet.trace.server']?.enum, ['off', 'messages', 'verbose']);
});

test('every contributed command is registered by the extension, and the other way round', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command);
  assert.ok(contributed.length > 0);
  for (const { command, category } of manifest.contributes.commands) {
    assert.ok(
      extensionSource.includes(`registerCommand('${command}'`),
      `${command} is registered in client/src/extension.ts`,
    );
    assert.equal(category, 'Podnet', `${command} is in the Podnet category`);
  }
  const registered = [...extensionSource.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual(registered.sort(), [...contributed].sort());
});

test('the extension targets VS Code ^1.100.0 and activates on YAML', () => {
  assert.equal(manifest.engines.vscode, '^1.100.0');
  assert.ok(manifest.activationEvents.includes('onLanguage:yaml'));
});
