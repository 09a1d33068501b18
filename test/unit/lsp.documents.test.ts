// The document lifecycle without LSP: whatever the order of open, edit, close and disk events and of
// the disk reads landing, an open document's text is the file's text, and once closed the newest disk
// read (or deletion) wins.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { pathToUri, Workspace } from '../../server/src/model/workspace';
import { DocumentLifecycle } from '../../server/src/lsp/documents';
import { TextSources } from '../../server/src/lsp/textSources';
import { type ReadResult } from '../../server/src/io/files';

/** A disk that holds `text`, or no file at all. */
const readResultOf = (text: string | undefined): ReadResult =>
  text === undefined ? { ok: false, reason: 'no such file or folder (ENOENT)', code: 'ENOENT' } : { ok: true, text };

test('TextSources: the open document wins, the newest read wins, a deletion makes reads in flight stale', () => {
  const sources = new TextSources();
  const first = sources.beginRead('/ws/a.yaml')!;
  const second = sources.beginRead('/ws/a.yaml')!;
  assert.equal(sources.mayApply(second), true, 'the newest read applies');
  assert.equal(sources.mayApply(first), false, 'an older read landing later does not');

  const beforeOpen = sources.beginRead('/ws/a.yaml')!;
  sources.opened('/ws/a.yaml', 'file:///ws/a.yaml');
  assert.equal(sources.beginRead('/ws/a.yaml'), undefined, 'nothing to read while open');
  assert.equal(sources.deleted('/ws/a.yaml'), false, 'an open file is not dropped');
  sources.closed('/ws/a.yaml', 'file:///ws/a.yaml');
  assert.equal(sources.mayApply(beforeOpen), false, 'a read started before the open stays stale after the close');

  const beforeDelete = sources.beginRead('/ws/a.yaml')!;
  assert.equal(sources.deleted('/ws/a.yaml'), true);
  assert.equal(sources.mayApply(beforeDelete), false, 'the deletion seen later wins');

  sources.opened('/ws/b.yaml', 'file:///ws/b.yaml');
  sources.opened('/ws/b.yaml', 'file:///ws/%62.yaml');
  sources.closed('/ws/b.yaml', 'file:///ws/b.yaml');
  assert.equal(sources.isOpen('/ws/b.yaml'), true, 'still open under its other URI');
  sources.closed('/ws/b.yaml', 'file:///ws/%62.yaml');
  assert.equal(sources.isOpen('/ws/b.yaml'), false);
});

/** A deterministic PRNG (mulberry32), so that a failure replays. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('DocumentLifecycle: every ordering of events and landing reads leaves the right text', async () => {
  const PATH = '/ws/pod.yaml';
  const URI = pathToUri(PATH);
  for (let seed = 1; seed <= 300; seed++) {
    const next = random(seed);
    const workspace = new Workspace({ roots: ['/ws'] });
    let disk: string | undefined = 'disk-0';
    const inFlight: Array<() => void> = [];
    const lifecycle = new DocumentLifecycle({
      workspace: () => workspace,
      // The read takes the disk's text when it starts and lands when the test says so.
      readText: (filePath) => {
        assert.equal(filePath, PATH);
        const result = readResultOf(disk);
        return new Promise((resolve) => inFlight.push(() => resolve(result)));
      },
      readTextSync: () => readResultOf(disk),
      changed: () => {},
    });
    lifecycle.indexed(PATH);
    let open = false;
    let editorText = '';
    /** What the file must hold once every read has landed, if it is closed then. */
    let diskOutcome: string | undefined = disk;
    const pending: Array<Promise<void>> = [];
    const log: string[] = [];
    const textNow = () => workspace.getFile(URI)?.file.text;
    const land = async (index: number) => {
      inFlight.splice(index, 1)[0]();
      // Let the landed read's continuation run.
      for (let i = 0; i < 3; i++) await Promise.resolve();
    };

    for (let step = 0; step < 12; step++) {
      const choice = Math.floor(next() * 6);
      if (choice === 0 && !open) {
        open = true;
        editorText = `editor-${step}`;
        log.push('open');
        lifecycle.opened(URI);
        lifecycle.edited(URI, editorText);
      } else if (choice === 1 && open) {
        editorText = `edit-${step}`;
        log.push('edit');
        lifecycle.edited(URI, editorText);
      } else if (choice === 2 && open) {
        open = false;
        log.push('close');
        diskOutcome = disk;
        pending.push(lifecycle.closed(URI));
      } else if (choice === 3) {
        disk = `disk-${step}`;
        log.push('disk write');
        if (!open) diskOutcome = disk;
        pending.push(lifecycle.diskChanged([{ uri: URI, deleted: false }]));
      } else if (choice === 4) {
        disk = undefined;
        log.push('disk delete');
        if (!open) diskOutcome = undefined;
        pending.push(lifecycle.diskChanged([{ uri: URI, deleted: true }]));
      } else if (inFlight.length > 0) {
        const index = Math.floor(next() * inFlight.length);
        log.push(`land ${index}`);
        await land(index);
      }
      if (open) assert.equal(textNow(), editorText, `seed ${seed}: ${log.join(', ')}`);
    }
    while (inFlight.length > 0) {
      log.push('land 0');
      await land(0);
      if (open) assert.equal(textNow(), editorText, `seed ${seed}: ${log.join(', ')}`);
    }
    await Promise.all(pending);
    assert.equal(textNow(), open ? editorText : diskOutcome, `seed ${seed}: ${log.join(', ')}`);
  }
});

test('DocumentLifecycle: a file that cannot be read stays in the model as skipped, with the reason', async () => {
  const URI = pathToUri('/ws/locked.yaml');
  const workspace = new Workspace({ roots: ['/ws'] });
  const refused: ReadResult = {
    ok: false,
    reason: 'Podnet could not read the file: permission denied (EACCES).',
    code: 'EACCES',
  };
  const lifecycle = new DocumentLifecycle({
    workspace: () => workspace,
    readText: () => Promise.resolve(refused),
    readTextSync: () => refused,
    changed: () => {},
  });
  assert.equal(lifecycle.indexed('/ws/locked.yaml')?.file.skipped, refused.reason);
  lifecycle.opened(URI);
  lifecycle.edited(URI, 'kind: Pod\n');
  assert.equal(workspace.getFile(URI)?.file.skipped, undefined, 'the editor text is read');
  await lifecycle.closed(URI);
  assert.equal(workspace.getFile(URI)?.file.skipped, refused.reason, 'closed: the disk cannot be read again');
  await lifecycle.diskChanged([{ uri: URI, deleted: false }]);
  assert.equal(workspace.getFile(URI)?.file.skipped, refused.reason);
});
