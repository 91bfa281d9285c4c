/**
 * One worker process of the cross-process atomicity test (atomic.test.ts). It builds the real
 * router over the Redis store (like one bot replica), prints `{"ready":true}`, waits for "go" on
 * stdin, then runs its concurrent editors (modal opened through a card/next button, submitted
 * with one field changed) and voters (vote select picks), and prints one JSON line with every
 * acknowledged edit (field, value, version), every acknowledged ballot, failures and store stats.
 *
 *   WORKER={"redisUrl":…,"worker":0,"editors":4,"editsPerEditor":63,"voteId":…,"options":[…],
 *           "members":[first,count],"changers":50} node --import tsx test/resilience/worker.ts
 */
import { createInterface } from 'node:readline';
import type { APIInteraction } from 'discord-api-types/v10';
import { registry } from '../../commands/index.js';
import { outdatedReply } from '../../commands/salt/draft.js';
import type { Deps } from '../../src/discord/deps.js';
import { silentLogger } from '../../src/discord/deps.js';
import { createRouter } from '../../src/discord/router.js';
import { t } from '../../src/i18n/index.js';
import { createStore } from '../../src/store/index.js';
import { interactions } from '../standin/index.js';
import { RecordingApi } from '../support/bot.js';
import { fillModal } from '../support/botProcess.js';

export interface WorkerConfig {
  redisUrl: string;
  worker: number;
  editors: number;
  editsPerEditor: number;
  layers: string[];
  voteId: string;
  options: string[];
  /** [first member index, count] */
  members: [number, number];
  /** How many of this worker's members vote a second time (for another option). */
  changers: number;
  voters: number;
}

export interface EditAck {
  editor: string;
  n: number;
  field: string;
  value: string;
  version: number;
  /** The draft version the form was opened on. */
  base: number;
}

export interface WorkerResult {
  worker: number;
  edits: EditAck[];
  editFailures: string[];
  ballots: { member: string; option: string }[];
  voteFailures: string[];
  /** Saves refused with the localized "busy, nothing was changed" answer (then retried). */
  refused: number;
  casRetries: number;
  ms: number;
}

type Json = Record<string, any>;

const REFUSED = new Set([t('en-US', 'errors.busy'), t('en-US', 'errors.formStale')]);

/** The field an edit changes: which button opens its form, and which input it fills. */
export function fieldFor(layers: string[], i: number): { key: string; open: string; input: string } {
  const fixed = [
    { key: 'style', open: 's1:card:track', input: 'style' },
    { key: 'spectralNotes', open: 's1:card:details', input: 'spectralNotes' },
    { key: 'attack', open: 's1:card:details', input: 'attack' },
    { key: 'arrangement', open: 's1:card:details', input: 'arrangement' },
  ];
  const all = [...fixed, ...layers.map((l) => ({ key: `qualifier:${l}`, open: `s1:next:layer2:${l}`, input: 'qualifier' }))];
  return all[i % all.length]!;
}

export const editorUserId = (worker: number, editor: number) => String(100_000_000_000_000_000n + BigInt(worker * 100 + editor));
export const memberUserId = (member: number) => String(200_000_000_000_000_000n + BigInt(member));

async function main(): Promise<void> {
  const config = JSON.parse(process.env.WORKER ?? '{}') as WorkerConfig;
  const store = await createStore({ redisUrl: config.redisUrl, logger: { info() {}, warn() {} } });
  const deps: Deps = { store, api: new RecordingApi(), log: silentLogger, now: Date.now, votes: { schedule() {} } };
  const router = createRouter(registry, deps, (inv) => outdatedReply(inv));
  const api = deps.api as RecordingApi;
  /** The member's answer: the first response, or, when it was deferred (slow store), what the after-work delivered for the token. */
  const route = async (ix: APIInteraction): Promise<Json> => {
    const reply = await router.route(ix);
    await reply.after?.();
    const response = reply.response as Json;
    if (response.type !== 5 && response.type !== 6) return response;
    const late = api.calls.filter((c) => (c.method === 'editOriginal' || c.method === 'followUp') && c.args[0] === ix.token).at(-1);
    return late ? { type: response.type === 6 ? 7 : 4, data: late.args[1], deferred: true } : response;
  };

  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));
  const started = performance.now();

  const result: WorkerResult = { worker: config.worker, edits: [], editFailures: [], ballots: [], voteFailures: [], refused: 0, casRetries: 0, ms: 0 };

  async function editor(e: number): Promise<void> {
    const userId = editorUserId(config.worker, e);
    // A member whose save was refused (the draft moved on too far, or too busy) opens the form again.
    for (let n = 0, tries = 0; n < config.editsPerEditor && tries < config.editsPerEditor * 4; tries++) {
      const field = fieldFor(config.layers, config.worker * 7 + e * 3 + n);
      const name = `w${config.worker}e${e}n${n}`;
      const who = { user: { id: userId, username: `editor${config.worker}_${e}` }, member: { nick: name } };
      const opened = await route(interactions.button({ customId: field.open, ...who }));
      if (opened.type !== 9) {
        if (opened.deferred) continue; // too slow to open a modal: the member is asked to press again
        result.editFailures.push(`${name} open: ${JSON.stringify(opened).slice(0, 200)}`);
        continue;
      }
      const value = `${name}x`;
      const submit = interactions.modalSubmit({ customId: opened.data.custom_id, components: fillModal(opened.data, { [field.input]: value }), ...who });
      const answer = await route(submit);
      const m = /\(version (\d+)\)/.exec(String(answer.data?.content ?? ''));
      if (!m) {
        const text = String(answer.data?.content ?? JSON.stringify(answer));
        if (REFUSED.has(text)) result.refused++;
        else result.editFailures.push(`${name} submit: ${text.slice(0, 200)}`);
        continue;
      }
      result.edits.push({ editor: name.replace(/n\d+$/, ''), n, field: field.key, value, version: Number(m[1]), base: Number(String(opened.data.custom_id).split(':')[3]) });
      n++;
    }
  }

  async function voter(v: number): Promise<void> {
    const [first, count] = config.members;
    for (let i = v; i < count; i += config.voters) {
      const member = first + i;
      const rounds = i < config.changers ? 2 : 1;
      for (let r = 0; r < rounds; r++) {
        const option = config.options[(member + r) % config.options.length]!;
        const pick = interactions.stringSelect({
          customId: `s1:vote:pick:${config.voteId}`,
          values: [option],
          user: { id: memberUserId(member), username: `member${member}` },
        });
        const answer = await route(pick);
        if (answer.type === 7) result.ballots.push({ member: memberUserId(member), option });
        else result.voteFailures.push(`member ${member}: ${JSON.stringify(answer).slice(0, 200)}`);
      }
    }
  }

  await Promise.all([
    ...Array.from({ length: config.editors }, (_, e) => editor(e)),
    ...Array.from({ length: config.voters }, (_, v) => voter(v)),
  ]);
  result.ms = Math.round(performance.now() - started);
  result.casRetries = store.stats().casRetries;
  await store.close();
  process.stdout.write(`${JSON.stringify({ result })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
