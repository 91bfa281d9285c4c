/**
 * The real bot process (`node dist/src/main.js`, as `npm start` runs it) against the local
 * Discord stand-in, over both transports: the gateway (the stand-in dispatches
 * INTERACTION_CREATE) and HTTP (the stand-in signs and POSTs interactions to /interactions).
 *
 * Each run: start-up registers the commands (PUT to the guild route) → /salt new preset:calling
 * posts the V2 card → Track button opens the track modal → submitting a new BPM edits the card →
 * /salt layer add opens the layer modal → submitting it adds the layer to the card → (vote with
 * three members, publish) → SIGTERM exits 0 with the draft saved in the file store. Every REST
 * payload and callback is checked against Discord's limits, with allowed_mentions `{ parse: [] }`
 * required on every message, followup, callback and edit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIInteraction, APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editModule } from '../../commands/salt/edit.js';
import { publishModule } from '../../commands/salt/publish.js';
import { voteModule } from '../../commands/salt/vote.js';
import { DEFAULT_IDS, IS_COMPONENTS_V2, interactions, startStandin, type RecordedCallback, type Standin } from '../standin/index.js';
import { BOT_MAIN, customIds, fillModal, spawnNode, startBotProcess, stopAll, tempDir, textOf, type BotProcess, type Json } from '../support/botProcess.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const EPHEMERAL = 1 << 6;

/** The editing steps need the card's Track button and the layer commands (commands/salt/edit.ts). */
const editReady = editModule.cardSteps?.track !== undefined && Object.keys(editModule.run).some((k) => k.startsWith('layer'));
/** The vote and publish steps need commands/salt/vote.ts and publish.ts to be more than placeholders. */
const votePublishReady = voteModule.options.length > 0 && publishModule.options.length > 0;

/** Payloads that create or change a message, with their message body. */
function messageBodies(standin: Standin): { where: string; body: Json }[] {
  const out: { where: string; body: Json }[] = [];
  for (const r of standin.requests) {
    if (!r.route || !r.body || typeof r.body !== 'object') continue;
    const body = r.body as Json;
    if (r.route.includes('/callback')) {
      if ((body.type === 4 || body.type === 7) && body.data) out.push({ where: `${r.route} type ${body.type}`, body: body.data as Json });
    } else if (/messages|webhooks/.test(r.route) && (r.method === 'POST' || r.method === 'PATCH')) {
      out.push({ where: r.route, body });
    }
  }
  for (const c of standin.callbacks()) {
    if (c.source === 'http-response' && (c.type === 4 || c.type === 7) && c.data) out.push({ where: `HTTP response type ${c.type}`, body: c.data as Json });
  }
  return out;
}

interface Harness {
  standin: Standin;
  bot: BotProcess;
  dataFile: string;
}

function scenario(transport: 'gateway' | 'http'): void {
  describe(`GIVEN the bot process over the ${transport} transport`, () => {
    const h = {} as Harness;
    let dir: string;
    let cardId: string | undefined;
    /** Delivers an interaction over this run's transport and resolves with the bot's first response. */
    const send = (interaction: APIInteraction): Promise<RecordedCallback> => h.bot.send(interaction);

    beforeAll(async () => {
      h.standin = await startStandin({ strictEdits: true });
      dir = tempDir(`e2e-${transport}`);
      h.dataFile = join(dir, 'data', 'saltbot.json');
      h.bot = await startBotProcess({ standin: h.standin, dir, transport });
    }, 30_000);

    afterAll(() => stopAll({ bots: [h.bot], standin: h.standin, dir }));

    it('WHEN it starts THEN it registers the commands in the guild (PUT) and reports healthy', async () => {
      const put = h.standin.requests.filter((r) => r.method === 'PUT');
      expect(put.map((r) => r.route)).toEqual(['PUT /applications/:app/guilds/:guild/commands']);
      expect(h.standin.commands.get(DEFAULT_IDS.guild)?.map((c) => c.name)).toEqual(['salt']);
      if (transport === 'gateway') expect(h.standin.identifies).toHaveLength(1);
      const { status, body } = await h.bot.health();
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', store: { kind: 'file', ok: true } });
      if (transport === 'gateway') expect(body.gateway).toMatchObject({ ok: true });
      expect(h.bot.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('store: '))).toBe(true);
    });

    it('WHEN /salt new preset:calling THEN a public Components V2 card is posted and its message id learned', async () => {
      const ix = interactions.chatInput({ name: 'salt', options: [{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }] as never });
      const cb = await send(ix);
      expect(cb.type).toBe(4);
      const data = cb.data as Json;
      expect(data.flags & IS_COMPONENTS_V2).toBeTruthy();
      expect(data.flags & EPHEMERAL).toBe(0);
      expect(textOf(data)).toContain('126 BPM');
      expect(customIds(data.components)).toContain('s1:card:track');
      // after(): the bot fetches @original to remember the card's message id.
      await h.standin.waitFor((r) => r.method === 'GET' && r.path.endsWith(`/${ix.token}/messages/@original`), 5000);
      const card = h.standin.messages(DEFAULT_IDS.channel).find((m) => (m as Json).interaction_metadata?.id === ix.id);
      expect(card).toBeDefined();
      cardId = card!.id;
    });

    const card = (): APIMessage => {
      const m = h.standin.messages(DEFAULT_IDS.channel).find((x) => x.id === cardId);
      if (!m) throw new Error('the card message is gone');
      return m;
    };

    /** Submits a modal (and any "next" steps it leads to); resolves once the card shows `expectText`. */
    async function completeForm(modalCb: RecordedCallback, overrides: Record<string, string | string[]>, expectText: string): Promise<void> {
      let current = modalCb;
      for (let step = 0; step < 4; step++) {
        expect(current.type).toBe(9);
        const modal = current.data as Json;
        const submit = interactions.modalSubmit({ customId: modal.custom_id as string, components: fillModal(modal, overrides), message: card() });
        const answer = await send(submit);
        const next = customIds((answer.data as Json | undefined)?.components).find((id) => id.startsWith('s1:next:'));
        if (!next) break;
        current = await send(interactions.button({ customId: next, message: card() }));
      }
      await expect.poll(() => textOf(card()), { timeout: 5000, interval: 50 }).toContain(expectText);
    }

    // ---- Editing: needs commands/salt/edit.ts (Track card step, /salt layer add). -------------------
    it.runIf(editReady)('WHEN Track is pressed and the modal is submitted with a new BPM THEN the card is edited', async () => {
      const modalCb = await send(interactions.button({ customId: 's1:card:track', message: card() }));
      expect(modalCb.type).toBe(9);
      expect(customIds((modalCb.data as Json).components).length).toBeGreaterThan(0);
      await completeForm(modalCb, { bpm: '132' }, '132 BPM');
      // The card itself changed: by the type 7 answer or by a PATCH of the channel message.
      const patched = h.standin.requests.some((r) => r.method === 'PATCH' && r.route === 'PATCH /channels/:channel/messages/:id' && r.params.id === cardId);
      const updated = h.standin.callbacks().some((c) => c.type === 7);
      expect(patched || updated).toBe(true);
    });

    it.runIf(editReady)('WHEN /salt layer add is submitted THEN the new layer appears on the card', async () => {
      const ix = interactions.chatInput({ name: 'salt', options: [{ type: 2, name: 'layer', options: [{ type: 1, name: 'add', options: [] }] }] as never });
      const modalCb = await send(ix);
      expect(modalCb.type).toBe(9);
      await completeForm(modalCb, { id: 'e2e_pluck', name: 'e2e_pluck' }, 'e2e_pluck');
      expect(h.standin.requests.some((r) => r.method === 'PATCH' && r.route === 'PATCH /channels/:channel/messages/:id' && r.params.id === cardId)).toBe(true);
    });

    // ---- Vote and publish (commands/salt/vote.ts, publish.ts). ---------------------------------------
    it.runIf(votePublishReady)('WHEN a vote is opened, three members pick and it is closed THEN the winner is announced and applied to the card', async () => {
      const open = interactions.chatInput({
        name: 'salt',
        options: [{ type: 1, name: 'vote', options: [{ type: 3, name: 'presets', value: 'calling, big-room-festival' }, { type: 4, name: 'minutes', value: 10 }] }] as never,
      });
      const opened = await send(open);
      expect(opened.type).toBe(4);
      const pick = customIds((opened.data as Json).components).find((id) => id.startsWith('s1:vote:pick:'));
      const close = customIds((opened.data as Json).components).find((id) => id.startsWith('s1:vote:close:'));
      expect(pick && close).toBeTruthy();
      // after(): the vote message id is learned from @original.
      await h.standin.waitFor((r) => r.method === 'GET' && r.path.endsWith(`/${open.token}/messages/@original`), 5000);
      const voteMessage = (): APIMessage => h.standin.messages(DEFAULT_IDS.channel).find((m) => (m as Json).interaction_metadata?.id === open.id)!;
      expect(voteMessage()).toBeDefined();

      const ballots: [string, string][] = [
        ['1300000000000000301', 'calling'],
        ['1300000000000000302', 'big-room-festival'],
        ['1300000000000000303', 'big-room-festival'],
      ];
      for (const [id, value] of ballots) {
        const cb = await send(interactions.stringSelect({ customId: pick!, values: [value], message: voteMessage(), user: { id, username: `member${id.slice(-1)}` } }));
        expect(cb.type).toBe(7);
      }
      expect(textOf(voteMessage())).toMatch(/3/);

      const closed = await send(interactions.button({ customId: close!, message: voteMessage() }));
      expect(closed.type).toBe(6);
      // The result is posted, the vote message shows its closed state, and the card takes the winner (128 BPM).
      await h.standin.waitFor((r) => r.route === 'POST /channels/:channel/messages' && textOf(r.body as Json).includes('big-room-festival'), 5000);
      await expect.poll(() => customIds(voteMessage().components).length, { timeout: 5000, interval: 50 }).toBe(0);
      await expect.poll(() => textOf(card()), { timeout: 5000, interval: 50 }).toContain('128 BPM');
    });

    it.runIf(votePublishReady)('WHEN the card\'s Publish is pressed THEN the prompt is posted publicly with salt-prompt.txt and salt-spec.json', async () => {
      let answer = await send(interactions.button({ customId: 's1:card:publish', message: card() }));
      if (answer.type === 4) {
        // Lint warnings: confirm "Publish anyway".
        const confirm = customIds((answer.data as Json).components).find((id) => id.startsWith('s1:ok:publish'));
        expect(confirm).toBeDefined();
        answer = await send(interactions.button({ customId: confirm!, message: card() }));
      }
      expect(answer.type).toBe(5);
      const followUp = await h.standin.waitFor((r) => r.route === 'POST /webhooks/:app/:token' && r.params.token === answer.token, 5000);
      expect(followUp.files.map((f) => f.name).sort()).toEqual(['salt-chart.png', 'salt-prompt.txt', 'salt-spec.json']);
      expect(followUp.headers['content-type']).toMatch(/^multipart\/form-data/);
      expect(followUp.files.find((f) => f.name === 'salt-prompt.txt')!.data.toString()).toMatch(/128/);
    });

    it('THEN every payload kept Discord limits and allowed_mentions { parse: [] } on every message', () => {
      expect(h.standin.violations()).toEqual([]);
      const bodies = messageBodies(h.standin);
      expect(bodies.length).toBeGreaterThan(0);
      for (const { where, body } of bodies) expect({ where, allowed_mentions: body.allowed_mentions }).toEqual({ where, allowed_mentions: { parse: [] } });
      expect(h.bot.lines.filter((l) => l.level === 'error')).toEqual([]);
    });

    it('THEN no log line carries the bot token or an interaction token', () => {
      const text = h.bot.lines.map((l) => JSON.stringify(l)).join('\n') + h.bot.stderr.join('');
      expect(text).not.toContain(h.standin.token);
      expect(text).not.toMatch(/aW50ZXJhY3Rpb246/);
    });

    it('WHEN it gets SIGTERM THEN it exits 0 with the draft saved; restarted on the same data THEN it does not register again', async () => {
      expect((await h.bot.term()).code).toBe(0);
      expect(h.bot.lines.some((l) => l.msg === 'stopped')).toBe(true);
      expect(existsSync(h.dataFile)).toBe(true);
      expect(readFileSync(h.dataFile, 'utf8')).toContain(DEFAULT_IDS.channel);
      if (transport === 'http') {
        h.standin.clearRecords();
        h.bot = await startBotProcess({ standin: h.standin, dir });
        expect(h.standin.requests.filter((r) => r.method === 'PUT')).toEqual([]);
        expect(h.bot.lines.some((l) => l.msg === 'commands unchanged; not registering')).toBe(true);
        const ping = await h.bot.post({ id: '1', type: 1, token: 't', application_id: h.standin.applicationId, version: 1 });
        expect(ping.body).toEqual({ type: 1 });
        expect((await h.bot.term()).code).toBe(0);
      }
    }, 25_000);
  });
}

describe('saltbot process end to end', () => {
  scenario('gateway');
  scenario('http');

  it('GIVEN `npm run register` (node dist/src/register.js) WHEN run THEN it PUTs the commands and exits 0', async () => {
    const standin = await startStandin();
    const dir = tempDir('e2e-register');
    try {
      const register = spawnNode(
        join(root, 'dist/src/register.js'),
        { DISCORD_TOKEN: standin.token, DISCORD_APPLICATION_ID: standin.applicationId, DISCORD_API_URL: standin.apiBase, SALT_DATA_FILE: join(dir, 'data.json'), LOG_LEVEL: 'warn' },
        dir,
      );
      expect(await register.exited).toBe(0);
      const out = register.dump();
      expect(out).toContain('Registered 1 command(s) (global)');
      expect(standin.requests.filter((r) => r.method === 'PUT').map((r) => r.route)).toEqual(['PUT /applications/:app/commands']);
      expect(out).not.toContain(standin.token);
    } finally {
      await stopAll({ standin, dir });
    }
  });

  it('GIVEN a broken configuration WHEN started THEN it lists every problem and exits 1', async () => {
    const dir = tempDir('e2e-config');
    try {
      const broken = spawnNode(BOT_MAIN, { SALT_TRANSPORT: 'http', PORT: 'eighty' }, dir);
      expect(await broken.exited).toBe(1);
      expect(broken.stderr.join('')).toMatch(/PORT/);
      // Every missing required variable at once.
      const missing = spawnNode(BOT_MAIN, { SALT_TRANSPORT: 'http' }, dir);
      expect(await missing.exited).toBe(1);
      for (const name of ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_PUBLIC_KEY']) expect(missing.stderr.join('')).toContain(name);
    } finally {
      await stopAll({ dir });
    }
  });
});
