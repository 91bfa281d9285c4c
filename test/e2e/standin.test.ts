/**
 * The local Discord stand-in, proven against the real libraries (discord.js, @discordjs/rest,
 * ws, node:crypto) with no bot code involved.
 */
import { createPublicKey, verify, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { REST, DiscordAPIError } from '@discordjs/rest';
import { Routes, type APIMessage } from 'discord-api-types/v10';
import WebSocket from 'ws';
import {
  DEFAULT_IDS,
  DISCORD_LIMITS,
  IS_COMPONENTS_V2,
  checkMessageLimits,
  interactions,
  startStandin,
  type Standin,
} from '../standin/index.js';

const noPing = { parse: [] as string[] };

function nextInteraction(client: Client): Promise<Interaction> {
  return new Promise((resolve) => client.once(Events.InteractionCreate, resolve));
}

describe('Discord stand-in', () => {
  let standin: Standin;

  beforeAll(async () => {
    standin = await startStandin();
  });

  afterAll(async () => {
    await standin.close();
  });

  describe('GIVEN a discord.js Client pointed at the stand-in', () => {
    let client: Client;

    beforeAll(async () => {
      client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standin.apiBase } });
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(standin.token);
      await ready;
    });

    afterAll(async () => {
      await client.destroy();
    });

    it('WHEN it logs in THEN it is ready, identified with its intents, and caches the guild and text channel', () => {
      expect(client.isReady()).toBe(true);
      expect(client.user?.id).toBe(DEFAULT_IDS.bot);
      expect(client.application?.id).toBe(DEFAULT_IDS.application);
      expect(standin.identifies).toHaveLength(1);
      expect(standin.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds);
      expect(standin.identifies[0]?.shard).toEqual([0, 1]);
      expect(standin.requests.some((r) => r.route === 'GET /gateway/bot' && r.status === 200)).toBe(true);
      const guild = client.guilds.cache.get(DEFAULT_IDS.guild);
      expect(guild?.available).toBe(true);
      expect(guild?.preferredLocale).toBe('en-US');
      const channel = client.channels.cache.get(DEFAULT_IDS.channel);
      expect(channel?.isTextBased()).toBe(true);
      expect(guild?.roles.everyone.permissions.has('SendMessages')).toBe(true);
    });

    it('WHEN the stand-in sends a slash command and the client replies THEN a type 4 callback with that content is recorded', async () => {
      const received = nextInteraction(client);
      const payload = interactions.chatInput({ name: 'ping', options: { text: 'x' }, locale: 'de' });
      standin.sendInteraction(payload);
      const interaction = await received;
      expect(interaction.isChatInputCommand()).toBe(true);
      const command = interaction as ChatInputCommandInteraction;
      expect(command.commandName).toBe('ping');
      expect(command.options.getString('text')).toBe('x');
      expect(command.locale).toBe('de');
      expect(command.channel?.id).toBe(DEFAULT_IDS.channel);

      await command.reply({ content: 'hi', allowedMentions: { parse: [] } });
      const callback = await standin.waitForCallback((c) => c.interactionId === payload.id);
      expect(callback.type).toBe(4);
      expect(callback.data).toMatchObject({ content: 'hi', allowed_mentions: { parse: [] } });
      expect(callback.violations).toEqual([]);
      const reply = await command.fetchReply();
      expect(reply.content).toBe('hi');
      expect(standin.messages(DEFAULT_IDS.channel).some((m) => m.content === 'hi')).toBe(true);

      await command.followUp({ content: 'more', allowedMentions: { parse: [] } });
      await command.editReply({ content: 'edited' });
      expect((await command.fetchReply()).content).toBe('edited');
      expect(standin.violations()).toEqual([]);
    });

    it('WHEN the client shows a modal THEN a type 9 callback is recorded with the Label-wrapped text input', async () => {
      const received = nextInteraction(client);
      const payload = interactions.chatInput({ name: 'form' });
      standin.sendInteraction(payload);
      const interaction = (await received) as ChatInputCommandInteraction;
      const modal = new ModalBuilder()
        .setCustomId('form:modal')
        .setTitle('A form')
        .addLabelComponents(
          new LabelBuilder()
            .setLabel('Your text')
            .setTextInputComponent(new TextInputBuilder().setCustomId('text').setStyle(TextInputStyle.Short)),
        );
      await interaction.showModal(modal);
      const callback = await standin.waitForCallback((c) => c.interactionId === payload.id);
      expect(callback.type).toBe(9);
      expect(callback.data).toMatchObject({
        custom_id: 'form:modal',
        title: 'A form',
        components: [{ type: 18, label: 'Your text', component: { type: 4, custom_id: 'text' } }],
      });
      expect(callback.violations).toEqual([]);
    });

    it('WHEN the client defers and then edits THEN the delivering edit must carry allowed_mentions, and with_response answers the callback', async () => {
      const received = nextInteraction(client);
      const payload = interactions.chatInput({ name: 'slow' });
      standin.sendInteraction(payload);
      const interaction = (await received) as ChatInputCommandInteraction;
      const response = await interaction.deferReply({ withResponse: true });
      expect(response.interaction.id).toBe(payload.id);
      expect(response.resource?.message?.id).toBeDefined();
      await interaction.editReply({ content: 'done' });
      const edit = await standin.waitFor((r) => r.method === 'PATCH' && r.path.endsWith(`/${payload.token}/messages/@original`));
      expect(edit.violations).toEqual([expect.stringMatching(/allowed_mentions is missing/)]);
      expect(standin.messages(DEFAULT_IDS.channel).at(-1)?.content).toBe('done');
      standin.clearRecords();
    });

    it('WHEN the stand-in sends a button click, a select choice and an autocomplete THEN discord.js sees the right interaction kinds', async () => {
      let received = nextInteraction(client);
      standin.sendInteraction(interactions.button({ customId: 'btn:1' }));
      const click = await received;
      expect(click.isButton() && click.customId).toBe('btn:1');
      if (click.isButton()) await click.update({ content: 'clicked', allowedMentions: { parse: [] } });

      received = nextInteraction(client);
      standin.sendInteraction(interactions.stringSelect({ customId: 'sel', values: ['b'] }));
      const select = await received;
      expect(select.isStringSelectMenu() && select.values).toEqual(['b']);
      if (select.isStringSelectMenu()) await select.deferUpdate();

      received = nextInteraction(client);
      const ac = interactions.autocomplete({ name: 'find', options: { query: 'ab' } });
      standin.sendInteraction(ac);
      const auto = await received;
      expect(auto.isAutocomplete() && auto.options.getFocused()).toBe('ab');
      if (auto.isAutocomplete()) await auto.respond([{ name: 'abc', value: 'abc' }]);
      const callback = await standin.waitForCallback((c) => c.interactionId === ac.id);
      expect(callback.type).toBe(8);
      expect(standin.callbacks().map((c) => c.type)).toEqual([7, 6, 8]);
      expect(standin.violations()).toEqual([]);
    });

    it('WHEN the stand-in sends a modal submit with Label-wrapped components THEN discord.js reads the fields', async () => {
      const received = nextInteraction(client);
      standin.sendInteraction(interactions.modalSubmit({ customId: 'form:modal', components: { text: 'hello', pick: ['a'] } }));
      const interaction = await received;
      expect(interaction.isModalSubmit()).toBe(true);
      if (!interaction.isModalSubmit()) return;
      expect(interaction.fields.getTextInputValue('text')).toBe('hello');
      expect(interaction.fields.getStringSelectValues('pick')).toEqual(['a']);
    });
  });

  describe('GIVEN @discordjs/rest pointed at the stand-in', () => {
    it('WHEN commands are PUT globally and per guild THEN GET returns them with ids', async () => {
      const rest = new REST({ api: standin.apiBase }).setToken(standin.token);
      const body = [
        { name: 'ping', description: 'Ping' },
        { name: 'form', description: 'Form' },
      ];
      const put = (await rest.put(Routes.applicationCommands(standin.applicationId), { body })) as { id: string; name: string }[];
      expect(put.map((c) => c.name)).toEqual(['ping', 'form']);
      expect(put.every((c) => /^\d{17,20}$/.test(c.id))).toBe(true);
      const got = (await rest.get(Routes.applicationCommands(standin.applicationId))) as { id: string }[];
      expect(got.map((c) => c.id)).toEqual(put.map((c) => c.id));
      // A second PUT keeps ids of commands with the same name, as Discord does.
      const again = (await rest.put(Routes.applicationCommands(standin.applicationId), { body })) as { id: string }[];
      expect(again.map((c) => c.id)).toEqual(put.map((c) => c.id));

      await rest.put(Routes.applicationGuildCommands(standin.applicationId, DEFAULT_IDS.guild), { body: [body[0]] });
      const guildCommands = (await rest.get(Routes.applicationGuildCommands(standin.applicationId, DEFAULT_IDS.guild))) as {
        guild_id: string;
      }[];
      expect(guildCommands).toHaveLength(1);
      expect(guildCommands[0]?.guild_id).toBe(DEFAULT_IDS.guild);
    });

    it('WHEN a bot route is called with a wrong token or an unknown route THEN 401 / 404 is answered and recorded', async () => {
      const bad = new REST({ api: standin.apiBase, retries: 0 }).setToken('wrong');
      await expect(bad.get(Routes.user('@me'))).rejects.toMatchObject({ status: 401 });
      const rest = new REST({ api: standin.apiBase, retries: 0 }).setToken(standin.token);
      const error = await rest.get('/nothing/here' as `/${string}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect((error as DiscordAPIError).status).toBe(404);
      expect(standin.requests.some((r) => r.path === '/api/v10/nothing/here' && r.route === null && r.status === 404)).toBe(true);
    });

    it('WHEN a message with an attachment is posted as multipart THEN the file name, size and content are recorded', async () => {
      const rest = new REST({ api: standin.apiBase }).setToken(standin.token);
      const message = (await rest.post(Routes.channelMessages(DEFAULT_IDS.channel), {
        body: { content: 'file', allowed_mentions: noPing, attachments: [{ id: 0, description: 'notes' }] },
        files: [{ name: 'notes.txt', data: Buffer.from('hello world'), contentType: 'text/plain' }],
      })) as APIMessage;
      const request = await standin.waitFor((r) => r.route === 'POST /channels/:channel/messages' && r.files.length > 0);
      expect(request.headers['content-type']).toMatch(/^multipart\/form-data/);
      expect(request.body).toMatchObject({ content: 'file' });
      expect(request.files[0]).toMatchObject({ field: 'files[0]', name: 'notes.txt', size: 11 });
      expect(request.files[0]?.data.toString()).toBe('hello world');
      expect(request.violations).toEqual([]);
      expect(message.attachments[0]).toMatchObject({ filename: 'notes.txt', size: 11, description: 'notes' });
      const served = await fetch(message.attachments[0]?.url ?? '');
      expect(await served.text()).toBe('hello world');

      const edited = (await rest.patch(Routes.channelMessage(DEFAULT_IDS.channel, message.id), { body: { content: 'file!' } })) as APIMessage;
      expect(edited.content).toBe('file!');
      const fetched = (await rest.get(Routes.channelMessage(DEFAULT_IDS.channel, message.id))) as APIMessage;
      expect(fetched.attachments).toHaveLength(1);
      expect(standin.messages(DEFAULT_IDS.channel).find((m) => m.id === message.id)?.content).toBe('file!');
    });
  });

  describe('GIVEN the limit checker', () => {
    const ok = { content: 'fine', allowed_mentions: noPing };
    const modal = (over: Record<string, unknown> = {}): unknown => ({
      type: 9,
      data: {
        custom_id: 'm',
        title: 'Title',
        components: [{ type: 18, label: 'L', component: { type: 4, custom_id: 't', style: 1 } }],
        ...over,
      },
    });

    it('WHEN payloads are valid THEN no violation is reported', () => {
      expect(checkMessageLimits(ok)).toEqual([]);
      expect(checkMessageLimits({ ...ok, content: 'x'.repeat(DISCORD_LIMITS.message.content) })).toEqual([]);
      expect(checkMessageLimits({ type: 4, data: ok })).toEqual([]);
      expect(checkMessageLimits({ type: 5 })).toEqual([]);
      expect(checkMessageLimits(modal())).toEqual([]);
      expect(checkMessageLimits({ type: 8, data: { choices: [{ name: 'a', value: 'a' }] } })).toEqual([]);
      const v2 = {
        flags: IS_COMPONENTS_V2,
        allowed_mentions: noPing,
        components: [{ type: 17, components: Array.from({ length: 39 }, () => ({ type: 10, content: 'x' })) }],
      };
      expect(checkMessageLimits(v2)).toEqual([]);
    });

    it('WHEN limits are broken THEN each is flagged', () => {
      expect(checkMessageLimits({ ...ok, content: 'x'.repeat(2001) })).toEqual([expect.stringMatching(/content is 2001/)]);
      expect(checkMessageLimits({ content: 'hi' })).toEqual([expect.stringMatching(/allowed_mentions is missing/)]);
      expect(checkMessageLimits({ content: 'hi', allowed_mentions: { parse: ['users'] } })).toHaveLength(1);
      expect(checkMessageLimits({ type: 4, data: { content: 'hi' } })).toHaveLength(1);
      expect(checkMessageLimits(modal({ title: 'x'.repeat(46) }))).toEqual([expect.stringMatching(/title is 46/)]);
      const six = Array.from({ length: 6 }, (_, i) => ({ type: 18, label: 'L', component: { type: 4, custom_id: `t${i}`, style: 1 } }));
      expect(checkMessageLimits(modal({ components: six }))).toEqual([expect.stringMatching(/6 top-level components/)]);
      const longId = { ...ok, components: [{ type: 1, components: [{ type: 2, style: 1, label: 'b', custom_id: 'x'.repeat(101) }] }] };
      expect(checkMessageLimits(longId)).toEqual([expect.stringMatching(/custom_id is 101/)]);
      const v2 = {
        flags: IS_COMPONENTS_V2,
        allowed_mentions: noPing,
        components: [{ type: 17, components: Array.from({ length: 40 }, () => ({ type: 10, content: 'x' })) }],
      };
      expect(checkMessageLimits(v2)).toEqual([expect.stringMatching(/41 components in total/)]);
      expect(checkMessageLimits({ type: 8, data: { choices: Array.from({ length: 26 }, () => ({ name: 'a', value: 'a' })) } })).toHaveLength(1);
    });
  });

  describe('GIVEN a bot HTTP interactions endpoint', () => {
    let server: Server;
    let url: string;
    let lastVerified: boolean | undefined;

    beforeAll(async () => {
      const key = createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(standin.publicKeyHex, 'hex')]),
        format: 'der',
        type: 'spki',
      });
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const timestamp = String(req.headers['x-signature-timestamp']);
          const signature = Buffer.from(String(req.headers['x-signature-ed25519']), 'hex');
          lastVerified = verify(null, Buffer.from(timestamp + body), key, signature);
          if (!lastVerified) {
            res.writeHead(401).end('invalid request signature');
            return;
          }
          const interaction = JSON.parse(body) as { type: number };
          const answer = interaction.type === 1 ? { type: 1 } : { type: 4, data: { content: 'pong', allowed_mentions: noPing } };
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/interactions`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('WHEN the stand-in posts a signed interaction THEN the signature verifies against publicKeyHex and the answer is recorded', async () => {
      expect(standin.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
      const payload = interactions.chatInput({ name: 'ping' });
      const result = await standin.postInteractionHttp(url, payload);
      expect(lastVerified).toBe(true);
      expect(result.status).toBe(200);
      const callback = standin.callbacks().find((c) => c.interactionId === payload.id);
      expect(callback).toMatchObject({ type: 4, source: 'http-response', violations: [] });
    });

    it('WHEN it is signed with another key THEN the bot rejects it', async () => {
      const { privateKey } = generateKeyPairSync('ed25519');
      const result = await standin.postInteractionHttp(url, interactions.chatInput({ name: 'ping' }), { privateKey });
      expect(lastVerified).toBe(false);
      expect(result.status).toBe(401);
    });
  });

  describe('GIVEN a raw gateway client', () => {
    function connect(): Promise<{ ws: WebSocket; next: () => Promise<{ op: number; t?: string; s?: number; d: any }> }> {
      const ws = new WebSocket(`${standin.gatewayUrl}?v=10&encoding=json`);
      const queue: unknown[] = [];
      const waiters: ((x: unknown) => void)[] = [];
      ws.on('message', (data) => {
        const payload = JSON.parse(String(data));
        const waiter = waiters.shift();
        if (waiter) waiter(payload);
        else queue.push(payload);
      });
      const next = (): Promise<any> =>
        queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiters.push(resolve));
      return new Promise((resolve, reject) => {
        ws.once('open', () => resolve({ ws, next }));
        ws.once('error', reject);
      });
    }

    it('WHEN it identifies, heartbeats, disconnects and resumes THEN HELLO, READY, ACK and RESUMED arrive', async () => {
      const first = await connect();
      expect((await first.next()).op).toBe(10);
      first.ws.send(JSON.stringify({ op: 2, d: { token: standin.token, intents: 1, properties: {} } }));
      const ready = await first.next();
      expect(ready).toMatchObject({ op: 0, t: 'READY', s: 1 });
      expect(ready.d).toMatchObject({ v: 10, application: { id: standin.applicationId }, guilds: [{ unavailable: true }] });
      expect((await first.next()).t).toBe('GUILD_CREATE');
      first.ws.send(JSON.stringify({ op: 1, d: 2 }));
      expect((await first.next()).op).toBe(11);
      await new Promise((resolve) => {
        first.ws.once('close', resolve);
        first.ws.close(4200);
      });

      const second = await connect();
      expect((await second.next()).op).toBe(10);
      second.ws.send(JSON.stringify({ op: 6, d: { token: standin.token, session_id: ready.d.session_id, seq: 2 } }));
      expect(await second.next()).toMatchObject({ op: 0, t: 'RESUMED', s: 3 });
      second.ws.close();
    });

    it('WHEN it identifies with a wrong token THEN the socket closes with 4004', async () => {
      const { ws, next } = await connect();
      await next();
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send(JSON.stringify({ op: 2, d: { token: 'nope', intents: 0, properties: {} } }));
      expect(await closed).toBe(4004);
    });
  });
});
