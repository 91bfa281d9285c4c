import { REST } from '@discordjs/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.js';
import { canonicalJson, definitionsHash, hashKey, registerCommands } from '../../src/register.js';
import { createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { DEFAULT_IDS, startStandin, type Standin } from '../standin/index.js';

describe('registerCommands against the stand-in', () => {
  let standin: Standin;
  let rest: REST;
  let store: Store;
  const puts = (): string[] => standin.requests.filter((r) => r.method === 'PUT').map((r) => r.route ?? r.path);

  beforeAll(async () => {
    standin = await startStandin();
    rest = new REST({ api: standin.apiBase, retries: 0 }).setToken(standin.token);
  });
  afterAll(async () => {
    await standin.close();
  });
  beforeEach(async () => {
    store = await createStore({ memory: true });
    standin.clearRecords();
  });

  const base = () => ({ rest, applicationId: standin.applicationId, definitions: registry.definitions, store });

  it('GIVEN a guild id and no stored hash WHEN mode changed THEN the commands are PUT to the guild route and the hash is stored', async () => {
    const result = await registerCommands({ ...base(), guildId: DEFAULT_IDS.guild, mode: 'changed' });
    expect(result.status).toBe('registered');
    expect(puts()).toEqual(['PUT /applications/:app/guilds/:guild/commands']);
    expect(standin.commands.get(DEFAULT_IDS.guild)?.map((c) => c.name)).toEqual(['salt']);
    expect(await store.kv.get(hashKey(DEFAULT_IDS.guild))).toEqual({ hash: definitionsHash(registry.definitions), applicationId: standin.applicationId });
    expect(standin.violations()).toEqual([]);
  });

  it('GIVEN the same definitions were registered WHEN mode changed THEN no PUT', async () => {
    await registerCommands({ ...base(), guildId: DEFAULT_IDS.guild, mode: 'changed' });
    standin.clearRecords();
    const again = await registerCommands({ ...base(), guildId: DEFAULT_IDS.guild, mode: 'changed' });
    expect(again.status).toBe('unchanged');
    expect(puts()).toEqual([]);
  });

  it('GIVEN changed definitions WHEN mode changed THEN PUT again', async () => {
    await registerCommands({ ...base(), guildId: DEFAULT_IDS.guild, mode: 'changed' });
    standin.clearRecords();
    const changed = [{ ...(registry.definitions[0] as object), description: 'changed' }];
    const result = await registerCommands({ ...base(), definitions: changed, guildId: DEFAULT_IDS.guild, mode: 'changed' });
    expect(result.status).toBe('registered');
    expect(puts()).toHaveLength(1);
    expect(standin.commands.get(DEFAULT_IDS.guild)?.[0]?.description).toBe('changed');
  });

  it('GIVEN no guild id WHEN registering THEN the global route is used, under its own hash key', async () => {
    await registerCommands({ ...base(), guildId: DEFAULT_IDS.guild, mode: 'changed' });
    standin.clearRecords();
    const result = await registerCommands({ ...base(), mode: 'changed' });
    expect(result.status).toBe('registered');
    expect(puts()).toEqual(['PUT /applications/:app/commands']);
    expect(standin.commands.get('global')?.map((c) => c.name)).toEqual(['salt']);
    standin.clearRecords();
    expect((await registerCommands({ ...base(), mode: 'changed' })).status).toBe('unchanged');
    expect(puts()).toEqual([]);
  });

  it('GIVEN mode always THEN PUT even when unchanged; GIVEN mode never THEN nothing', async () => {
    await registerCommands({ ...base(), mode: 'changed' });
    standin.clearRecords();
    expect((await registerCommands({ ...base(), mode: 'always' })).status).toBe('registered');
    expect(puts()).toHaveLength(1);
    standin.clearRecords();
    expect((await registerCommands({ ...base(), store: await createStore({ memory: true }), mode: 'never' })).status).toBe('skipped');
    expect(standin.requests).toEqual([]);
  });

  it('GIVEN a stored hash from another application WHEN mode changed THEN PUT', async () => {
    await store.kv.set(hashKey(), { hash: definitionsHash(registry.definitions), applicationId: '1399999999999999999' });
    expect((await registerCommands({ ...base(), mode: 'changed' })).status).toBe('registered');
  });

  it('hashes canonically: key order does not matter, array order does', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: undefined, e: null }] })).toBe('{"a":[2,{"d":1,"e":null}],"b":1}');
    expect(definitionsHash([{ a: 1, b: 2 }])).toBe(definitionsHash([{ b: 2, a: 1 }]));
    expect(definitionsHash([{ a: [1, 2] }])).not.toBe(definitionsHash([{ a: [2, 1] }]));
  });
});
