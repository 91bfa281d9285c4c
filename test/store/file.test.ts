import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, StoreCorruptError, StoreUnavailableError } from '../../src/store/index.js';
import { makeSpec } from '../fixtures/spec.js';
import { describeStoreContract, freshScope, silentLogger, withBpm } from './contract.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'saltbot-file-store-'));
let files = 0;
const freshFile = () => path.join(dir, `store-${++files}`, 'saltbot.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract('file', (config) => createStore({ filePath: freshFile(), ...config }));

describe('file store', () => {
  const ann = { id: 'u-ann', name: 'Ann' };

  it('GIVEN drafts, presets and votes WHEN the store is closed and reopened THEN everything is still there', async () => {
    const filePath = freshFile();
    const scope = freshScope();
    const first = await createStore({ filePath, logger: silentLogger });
    await first.drafts.create(scope, makeSpec(), ann);
    await first.drafts.update(scope, ann, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 140) }));
    await first.presets.save(scope.guildId, { name: 'lead', title: 'Lead', description: 'A lead', spec: makeSpec(), savedBy: ann });
    await first.votes.create({ id: 'v1', guildId: scope.guildId, channelId: scope.channelId, options: ['lead'], ballots: {}, createdBy: ann, createdAt: 1, closesAt: 2 });
    await first.kv.set('commands', 'hash-1');
    await first.close();
    expect(existsSync(`${filePath}.lock`)).toBe(false);

    const second = await createStore({ filePath, logger: silentLogger });
    try {
      expect((await second.drafts.get(scope))?.spec.track.bpm).toBe(140);
      expect((await second.drafts.history(scope)).map((h) => h.version)).toEqual([2, 1]);
      expect((await second.presets.list(scope.guildId)).map((p) => p.name)).toEqual(['lead']);
      expect((await second.votes.listOpen()).map((v) => v.id)).toEqual(['v1']);
      expect(await second.kv.get('commands')).toBe('hash-1');
      expect((await second.drafts.undo(scope, ann)).spec.track.bpm).toBe(128);
    } finally {
      await second.close();
    }
  });

  it('GIVEN an open file store WHEN a second store opens the same file THEN StoreUnavailableError (one process only)', async () => {
    const filePath = freshFile();
    const first = await createStore({ filePath, logger: silentLogger });
    try {
      expect(first.describe()).toContain(path.resolve(filePath));
      expect(first.describe()).toMatch(/one process only/);
      const again = await createStore({ filePath, logger: silentLogger }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(StoreUnavailableError);
      expect((again as Error).message).toMatch(/already open in this process/);
      // Another process, with a different pid, that is alive: the parent of this test process.
      const other = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
        const { createStore } = await import(${JSON.stringify(path.resolve('src/store/index.ts'))});
        try { await createStore({ filePath: ${JSON.stringify(filePath)} }); console.log('opened'); }
        catch (e) { console.log(e.code + ' ' + e.message); }
      `], { encoding: 'utf8', cwd: process.cwd() });
      expect(other.stdout).toMatch(/^store_unavailable .*held by process \d+.*one process only/);
    } finally {
      await first.close();
    }
  });

  it('GIVEN a lock left by a dead process WHEN the store opens THEN it takes the lock over', async () => {
    const filePath = freshFile();
    const seed = await createStore({ filePath, logger: silentLogger });
    const scope = freshScope();
    await seed.drafts.create(scope, makeSpec(), ann);
    await seed.close();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${filePath}.lock`, dead.stdout);
    const store = await createStore({ filePath, logger: silentLogger });
    try {
      expect((await store.drafts.get(scope))?.version).toBe(1);
      expect(readFileSync(`${filePath}.lock`, 'utf8')).toBe(String(process.pid));
    } finally {
      await store.close();
    }
  });

  it('GIVEN an unreadable data file WHEN the store opens THEN StoreCorruptError and the file is left alone', async () => {
    const filePath = freshFile();
    const seed = await createStore({ filePath, logger: silentLogger });
    await seed.close();
    writeFileSync(filePath, '{"cache": [[ truncated');
    const error = await createStore({ filePath, logger: silentLogger }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(readFileSync(filePath, 'utf8')).toBe('{"cache": [[ truncated');
    expect(existsSync(`${filePath}.lock`)).toBe(false);
  });
});
