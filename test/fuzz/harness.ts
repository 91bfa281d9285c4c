/**
 * The fuzz harness: one bot (real router over the memory store, test/support/bot.ts) per run,
 * set up with drafts on some channels, a saved preset and an open vote; generated Steps become raw
 * payloads against its live state (custom_ids and modals harvested from earlier replies), and
 * every interaction is checked:
 *
 * - route() + after-work never throw, and every payload is within Discord's limits (makeBot.run);
 * - the response type fits the interaction type; autocomplete ≤ 25 choices; modals ≤ 5 components;
 * - every message (response and REST call) carries allowed_mentions { parse: [] };
 * - no stack trace, 'Error:', 'undefined', 'NaN' or '[object Object]' in any visible string
 *   (unless the member typed it);
 * - an error reply (its text is a localized UserError / errors.* message) leaves drafts, history,
 *   presets and votes exactly as they were, in every channel;
 * - nothing is logged at error level (an 'unexpected error' means a crash path was reached);
 * - a draft reset, a vote closed or a saved preset deleted only by its creator / starter / saver
 *   or a member with Manage Messages; a component naming another channel's vote never touches it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAction } from '../../src/discord/customId.js';
import { LOCALES, catalog, t } from '../../src/i18n/index.js';
import { loadBuiltinPresets } from '../../src/domain/presets.js';
import { toPresetFile } from '../../src/domain/preset.js';
import { projectRoot } from '../../src/util/root.js';
import { MEMBER_PERMISSIONS } from '../standin/fixtures.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';
import Keyv from 'keyv';
import { LocalBackend } from '../../src/store/backend.js';
import { DEFAULT_DRAFT_TTL_MS, DEFAULT_HISTORY_LIMIT, createFacade } from '../../src/store/facade.js';
import type { Store } from '../../src/store/types.js';
import type { Reply } from '../../src/discord/reply.js';
import {
  CHANNELS,
  USERS,
  mutateId,
  type Env,
  type Fill,
  type IdClass,
  type IdSpec,
  type ModalStep,
  type SlashOpt,
  type Step,
} from './arbitraries.js';

// ---- seeds and sizes -------------------------------------------------------------------------

/** Deterministic by default; FUZZ_SEED=<n> explores another sequence. */
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_261_126;
/** FUZZ_SCALE=<x> multiplies every property's run count (exploration). */
export const SCALE = process.env.FUZZ_SCALE ? Number(process.env.FUZZ_SCALE) : 1;

export function runs(n: number): number {
  return Math.max(1, Math.round(n * SCALE));
}

/** Interactions routed by every session in this process (the suite asserts ≥ 10,000). */
export const counter = { interactions: 0, errors: 0, modalsOpened: 0, saved: 0, foreignVotes: 0, byKind: {} as Record<string, number>, errorKeys: {} as Record<string, number> };

// ---- error replies ---------------------------------------------------------------------------

/** Every message key a UserError is thrown with (read from the source, so new ones count), plus errors.*. */
function errorKeys(): string[] {
  const root = projectRoot();
  const keys = new Set<string>(['preset.badName', 'io.badName']);
  for (const dir of ['src', 'commands']) {
    for (const file of readdirSync(join(root, dir), { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      const text = readFileSync(join(root, dir, file), 'utf8');
      for (const m of text.matchAll(/UserError\(\s*'([\w.]+)'/g)) keys.add(m[1]!);
    }
  }
  for (const key of catalog('en-US').keys()) if (key.startsWith('errors.')) keys.add(key);
  return [...keys].filter((k) => catalog('en-US').has(k));
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Regexes matching the start of each localized error message (placeholders as wildcards). */
const ERROR_PATTERNS: { key: string; re: RegExp }[] = (() => {
  const out: { key: string; re: RegExp }[] = [];
  const hole = '\u0001';
  for (const locale of LOCALES) {
    for (const key of errorKeys()) {
      const template = catalog(locale).get(key) ?? catalog('en-US').get(key)!;
      const params = Object.fromEntries([...template.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, hole]));
      const text = t(locale, key, params);
      if (text.replaceAll(hole, '').trim().length < 4) continue;
      out.push({ key, re: new RegExp(`^${escapeRegex(text).replaceAll(hole, '[\\s\\S]*?')}(\\n|$)`) });
    }
  }
  return out;
})();

/** The error message key a reply's text starts with, if it is an error. */
export function errorKeyOf(content: string): string | undefined {
  return ERROR_PATTERNS.find(({ re }) => re.test(content))?.key;
}

export function isErrorText(content: string): boolean {
  return errorKeyOf(content) !== undefined;
}

// ---- forbidden text --------------------------------------------------------------------------

const FORBIDDEN: { name: string; re: RegExp }[] = [
  { name: 'undefined', re: /undefined/ },
  { name: 'NaN', re: /NaN/ },
  { name: '[object Object]', re: /\[object Object\]/ },
  { name: 'Error:', re: /Error:/ },
  { name: 'stack trace', re: /\bat .*(?:\.[cm]?[jt]s|node:\w+):\d+:\d+|node_modules|file:\/\//i },
];

/** Visible strings of a payload (custom_ids, urls and ids are not shown to anyone). */
function visibleStrings(value: unknown, out: string[] = [], key = ''): string[] {
  if (typeof value === 'string') {
    if (!['custom_id', 'url', 'id', 'token', 'application_id'].includes(key)) out.push(value);
  } else if (Array.isArray(value)) value.forEach((v) => visibleStrings(v, out, key));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visibleStrings(v, out, k);
  return out;
}

/** Every string (and number, as text) a payload carries: what a member could have typed. */
function inputStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) value.forEach((v) => inputStrings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => inputStrings(v, out));
  return out;
}

/** Text without the characters the bot strips or escapes from names and titles. */
function normalize(text: string): string {
  return text.replace(/[*_`~|>@#<\\]/g, '');
}

// ---- harvesting custom_ids -------------------------------------------------------------------

interface ModalField {
  id: string;
  kind: 'text' | 'select';
  options: string[];
  prefill: string[];
}

interface Harvest {
  buttons: string[];
  selects: Map<string, string[]>;
  modals: Map<string, ModalField[]>;
  votes: Set<string>;
}

function remember(list: string[], id: string, cap = 150): void {
  if (list.includes(id)) return;
  list.push(id);
  if (list.length > cap) list.shift();
}

function harvest(h: Harvest, body: unknown, isModal: boolean): void {
  if (!body || typeof body !== 'object') return;
  if (isModal) {
    const data = body as { custom_id: string; components: { component?: { type: number; custom_id: string; value?: string; options?: { value: string; default?: boolean }[] } }[] };
    const fields: ModalField[] = data.components.map((c) => {
      const inner = c.component ?? (c as never);
      return inner.type === 4
        ? { id: inner.custom_id, kind: 'text', options: [], prefill: inner.value ? [inner.value] : [] }
        : { id: inner.custom_id, kind: 'select', options: (inner.options ?? []).map((o) => o.value), prefill: (inner.options ?? []).filter((o) => o.default).map((o) => o.value) };
    });
    h.modals.set(data.custom_id, fields);
    if (h.modals.size > 60) h.modals.delete(h.modals.keys().next().value!);
    return;
  }
  const visit = (c: unknown): void => {
    if (Array.isArray(c)) return c.forEach(visit);
    if (!c || typeof c !== 'object') return;
    const comp = c as { type?: number; custom_id?: string; options?: { value: string }[]; components?: unknown; component?: unknown; accessory?: unknown };
    if (typeof comp.custom_id === 'string' && comp.type === 2) remember(h.buttons, comp.custom_id);
    if (typeof comp.custom_id === 'string' && comp.type === 3) {
      h.selects.set(comp.custom_id, (comp.options ?? []).map((o) => o.value));
      if (h.selects.size > 60) h.selects.delete(h.selects.keys().next().value!);
    }
    if (typeof comp.custom_id === 'string') {
      const action = decodeAction(comp.custom_id);
      if (action.kind === 'vote') h.votes.add(action.voteId);
    }
    visit(comp.components);
    visit(comp.component);
    visit(comp.accessory);
  };
  visit((body as { components?: unknown }).components);
}

// ---- the session -----------------------------------------------------------------------------

const PRESET_SAMPLES = loadBuiltinPresets().map((p) => JSON.stringify(toPresetFile(p.name, p.title, p.description, p.spec)));
export const VALID_IMPORTS: readonly string[] = [...PRESET_SAMPLES, ...loadBuiltinPresets().slice(0, 3).map((p) => JSON.stringify(p.spec))];

export class FuzzFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzFailure';
  }
}

export class Session {
  private readonly h: Harvest = { buttons: [], selects: new Map(), modals: new Map(), votes: new Set() };
  /** What members typed in this session that contains a forbidden token (its echo is fine), normalized. */
  private readonly typed: string[] = [];
  private readonly files = new Map<string, string>();
  private seq = 0;
  /** Counts of replies by outcome, for the report. */
  readonly outcomes = { error: 0, ok: 0 };

  private constructor(
    readonly bot: TestBot,
    /** The memory store's raw Map (key → serialized record), for cheap whole-state snapshots. */
    private readonly raw: Map<string, unknown>,
  ) {
    (bot.deps as { fetchAttachment?: (url: string, max: number) => Promise<string> }).fetchAttachment = async (url, max) => {
      const body = this.files.get(url);
      if (body === undefined) throw new Error('404 Not Found');
      if (Buffer.byteLength(body, 'utf8') > max) throw new Error('body too large');
      return body;
    };
  }

  static async create(options: { editRatePerMinute?: number } = {}): Promise<Session> {
    const { store, raw } = memoryStore();
    const session = new Session(await makeBot({ store, ...(options.editRatePerMinute !== undefined ? { editRatePerMinute: options.editRatePerMinute } : {}) }), raw);
    await session.setup();
    return session;
  }

  close(): Promise<void> {
    return this.bot.close();
  }

  /** Drafts on two channels (one per guild), a saved preset, an open vote. */
  private async setup(): Promise<void> {
    const env = (channel: number, user = 0): Env => ({ user, channel, locale: 'en-US', guildLocale: 'en-US', shape: 'guild', perms: 'member', nick: null, advanceMs: 0 });
    const slash = (channel: number, path: string[], options: SlashOpt[], user = 0): Step => ({ kind: 'slash', env: env(channel, user), name: 'salt', dataType: 1, path, options });
    await this.step(slash(0, ['new'], []));
    await this.step(slash(2, ['new'], [{ name: 'preset', type: 3, value: 'calling' }], 1));
    await this.step(slash(0, ['preset', 'save'], [{ name: 'name', type: 3, value: 'our-drop' }]));
    await this.step(slash(0, ['vote'], [{ name: 'presets', type: 3, value: 'calling, our-drop, euphoric-sun' }], 1));
    await this.step(slash(2, ['vote'], [], 1));
    await this.step(slash(0, ['layer', 'add'], []));
  }

  // ---- payloads ----

  private pickFrom<T>(list: readonly T[], pick: number): T | undefined {
    return list.length ? list[pick % list.length] : undefined;
  }

  private idsOf(cls: IdClass): string[] {
    switch (cls) {
      case 'button':
        return this.h.buttons;
      case 'select':
        return [...this.h.selects.keys()];
      case 'form':
        return [...this.h.modals.keys()];
      case 'vote':
        return [...this.h.buttons, ...this.h.selects.keys()].filter((id) => id.startsWith('s1:vote:'));
      case 'any':
        return [...this.h.buttons, ...this.h.selects.keys()];
    }
  }

  private resolveId(spec: IdSpec): string {
    if (spec.from === 'literal') return spec.value;
    const base = this.pickFrom(this.idsOf(spec.cls), spec.pick) ?? (spec.cls === 'form' ? 's1:form:track:1' : 's1:card:refresh');
    if (spec.from === 'harvest') return base;
    const votes = [...this.h.votes];
    return mutateId(base, spec.how, spec.text, this.pickFrom(votes, spec.pick + 1));
  }

  private common(env: Env) {
    const user = USERS[env.user]!;
    const scope = CHANNELS[env.channel]!;
    const permissions = { member: MEMBER_PERMISSIONS, manage: String(BigInt(MEMBER_PERMISSIONS) | 0x2000n), admin: '8', garbage: 'lots', missing: '' }[env.perms];
    return {
      user: { ...user },
      member: env.nick === null ? {} : { nick: env.nick },
      permissions,
      channelId: scope.channelId,
      guildId: scope.guildId,
      locale: env.locale,
      guildLocale: env.guildLocale,
      ...(env.shape === 'dm' ? { dm: true } : {}),
    };
  }

  /** Applies the envelope's damage (missing member, user, channel, locale) to a built payload. */
  private shape(payload: Record<string, unknown>, env: Env): Record<string, unknown> {
    const p = payload;
    switch (env.shape) {
      case 'noMember':
        delete p.member;
        break;
      case 'memberNoUser':
        if (p.member) delete (p.member as Record<string, unknown>).user;
        break;
      case 'userTopLevel':
        p.user = (p.member as { user?: unknown } | undefined)?.user;
        delete p.member;
        break;
      case 'noChannel':
        delete p.channel;
        delete p.channel_id;
        break;
      case 'noLocale':
        delete p.locale;
        delete p.guild_locale;
        break;
      default:
    }
    if (env.perms === 'missing' && p.member) delete (p.member as Record<string, unknown>).permissions;
    return p;
  }

  private nest(path: string[], options: SlashOpt[]): unknown[] {
    const leaf = options.map((o) => ({ name: o.name, type: o.type, value: o.value, ...(o.focused ? { focused: true } : {}) }));
    if (path.length === 0) return leaf;
    if (path.length === 1) return [{ type: 1, name: path[0], options: leaf }];
    return [{ type: 2, name: path[0], options: [{ type: 1, name: path[1], options: path.length > 2 ? this.nest(path.slice(2), options) : leaf }] }];
  }

  private fieldsFor(id: string): ModalField[] | undefined {
    const known = this.h.modals.get(id);
    if (known) return known;
    // A forged or mutated form id: borrow the fields of any opened modal of the same form.
    const action = decodeAction(id);
    if (action.kind !== 'form') return undefined;
    for (const [key, fields] of this.h.modals) if (key.startsWith(`s1:form:${action.form}:`)) return fields;
    return undefined;
  }

  private modalComponents(step: ModalStep, id: string): unknown[] {
    const fields = this.fieldsFor(id) ?? step.fills.map((_, i) => ({ id: ['bpm', 'id', 'texture', 'duck', 'style', 'key'][i]!, kind: 'text' as const, options: [], prefill: [] }));
    const entries: { id: string; value: string | string[] }[] = [];
    fields.forEach((f, i) => {
      const fill: Fill | undefined = step.fills[i];
      if (!fill || fill.mode === 'omit') return;
      const picked = f.options.length ? fill.picks.map((p) => f.options[p % f.options.length]!) : [];
      let value: string | string[];
      switch (fill.mode) {
        case 'keep':
          value = f.kind === 'text' ? (f.prefill[0] ?? '') : f.prefill;
          break;
        case 'text':
          value = fill.text;
          break;
        case 'pick':
          value = f.kind === 'select' && picked.length === 0 && f.options.length ? [f.options[0]!] : picked;
          break;
        case 'raw':
          value = fill.raw;
          break;
      }
      entries.push({ id: f.id, value });
    });
    for (const e of step.extras) entries.push({ id: e.id, value: e.value });
    let n = 0;
    return entries.map(({ id: cid, value }) => {
      const child = Array.isArray(value) ? { type: 3, id: ++n, custom_id: cid, values: value } : { type: 4, id: ++n, custom_id: cid, value };
      if (step.layout === 'label') return { type: 18, id: ++n, component: child };
      if (step.layout === 'row') return { type: 1, id: ++n, components: [child] };
      return child;
    });
  }

  private async payloadOf(step: Step): Promise<Record<string, unknown>> {
    const o = this.common(step.env);
    let p: Record<string, unknown>;
    switch (step.kind) {
      case 'slash': {
        p = ix.chatInput({ ...o, name: step.name, options: this.nest(step.path, step.options) as never }) as unknown as Record<string, unknown>;
        const data = p.data as Record<string, unknown>;
        data.type = step.dataType;
        if (step.attachment) {
          const url = `https://cdn.discordapp.com/attachments/1/${++this.seq}/preset.json`;
          this.files.set(url, step.attachment.body);
          if (step.attachment.resolved) {
            data.resolved = {
              attachments: { '9000': { id: '9000', filename: 'preset.json', size: step.attachment.size, url, proxy_url: url, content_type: 'application/json' } },
            };
          }
        }
        break;
      }
      case 'autocomplete':
        p = ix.autocomplete({ ...o, name: 'salt', options: this.nest(step.path, step.options) as never }) as unknown as Record<string, unknown>;
        break;
      case 'component': {
        const customId = this.resolveId(step.id);
        const known = this.h.selects.get(customId);
        const isSelect = known !== undefined || (step.componentType !== -1 && step.componentType !== 2);
        const options = known ?? [];
        const values = (step.values ?? []).map((v) => ('raw' in v ? v.raw : (this.pickFrom(options, v.pick) ?? `option-${v.pick}`)));
        const componentType = step.componentType === -1 ? (isSelect ? 3 : 2) : step.componentType;
        p = (isSelect ? ix.stringSelect({ ...o, customId, values }) : ix.button({ ...o, customId })) as unknown as Record<string, unknown>;
        const data = p.data as Record<string, unknown>;
        data.component_type = componentType;
        if (step.values === null) delete data.values;
        else if (!isSelect && step.componentType !== -1) data.values = values;
        if (!step.withMessage) delete p.message;
        break;
      }
      case 'modal': {
        const customId = this.resolveId(step.id);
        p = ix.modalSubmit({ ...o, customId, components: this.modalComponents(step, customId) as never }) as unknown as Record<string, unknown>;
        break;
      }
      case 'raw': {
        p = ix.chatInput({ ...o, name: 'salt' }) as unknown as Record<string, unknown>;
        p.type = step.type;
        if (step.data === undefined) delete p.data;
        else p.data = step.data;
        break;
      }
    }
    return this.shape(p, step.env);
  }

  // ---- state snapshots ----

  /**
   * Everything the store holds for drafts, history, presets and votes, in every guild and channel.
   * Left out: where the card and vote messages are (a fresh card is a fine answer to an outdated
   * button), expiry times, and meta values (the remembered guild locale).
   */
  snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [key, value] of this.raw) if (!key.includes(':meta:')) out.set(key, String(value));
    return out;
  }

  /** The keys whose content differs between two snapshots (ignoring the parts listed above). */
  static changed(before: Map<string, string>, after: Map<string, string>): string[] {
    const out: string[] = [];
    const strip = (key: string, text: string | undefined): string | undefined => {
      if (text === undefined) return undefined;
      if (key.includes(':draft:') || key.includes(':vote:')) {
        const { cardMessageId: _c, messageId: _m, ...rest } = (JSON.parse(text) as { value: Record<string, unknown> }).value;
        return JSON.stringify(rest);
      }
      return text.replace(/,"expires":\d+\}$/, '}');
    };
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const a = before.get(key);
      const b = after.get(key);
      if (a !== b && strip(key, a) !== strip(key, b)) out.push(key);
    }
    return out;
  }

  /** The store key of the vote a component names, when that vote lives in another guild or channel. */
  private async foreignVoteKey(payload: Record<string, unknown>): Promise<string | undefined> {
    if (payload.type !== 3) return undefined;
    const customId = (payload.data as { custom_id?: unknown } | undefined)?.custom_id;
    if (typeof customId !== 'string') return undefined;
    const action = decodeAction(customId);
    if (action.kind !== 'vote') return undefined;
    const vote = await this.bot.store.votes.get(action.voteId);
    if (!vote) return undefined;
    const channelId = (payload.channel as { id?: string } | undefined)?.id ?? payload.channel_id;
    if (vote.guildId === payload.guild_id && vote.channelId === channelId) return undefined;
    counter.foreignVotes++;
    return this.bot.store.debug.keys.vote(action.voteId);
  }

  /**
   * Who may reset a draft (its creator), close a vote (its starter) or delete a saved preset (its
   * saver), besides members with Manage Messages or Administrator: records the owners before an
   * interaction; `check()` afterwards names a destructive change made by someone else.
   */
  private async guarded(payload: Record<string, unknown>): Promise<{ check(): Promise<string | undefined> }> {
    const { store } = this.bot;
    const member = payload.member as { user?: { id?: string }; permissions?: string } | undefined;
    const actorId = member?.user?.id ?? (payload.user as { id?: string } | undefined)?.id ?? '0';
    const perms = member?.permissions && /^\d+$/.test(member.permissions) ? BigInt(member.permissions) : 0n;
    const privileged = (perms & 0x8n) !== 0n || (perms & 0x2000n) !== 0n;
    const guildId = typeof payload.guild_id === 'string' ? payload.guild_id : undefined;
    const drafts = await Promise.all(CHANNELS.map(async (c) => ({ scope: c, owner: (await store.drafts.get(c))?.createdBy.id })));
    const presets = guildId ? await store.presets.list(guildId) : [];
    const votes = await Promise.all([...this.h.votes].map((id) => store.votes.get(id)));
    return {
      async check() {
        if (privileged) return undefined;
        for (const d of drafts) {
          if (d.owner !== undefined && d.owner !== actorId && !(await store.drafts.get(d.scope))) return `draft of ${d.scope.channelId} (creator ${d.owner}) deleted by ${actorId}`;
        }
        const left = new Set((guildId ? await store.presets.list(guildId) : []).map((p) => p.name));
        for (const p of presets) if (!left.has(p.name) && p.savedBy.id !== actorId) return `preset ${p.name} (saved by ${p.savedBy.id}) deleted by ${actorId}`;
        for (const v of votes) {
          if (!v || v.closed) continue;
          const now = await store.votes.get(v.id);
          if (now?.closed && now.closed.by.id === actorId && v.createdBy.id !== actorId) return `vote ${v.id} (started by ${v.createdBy.id}) closed by ${actorId}`;
        }
        return undefined;
      },
    };
  }

  // ---- one interaction ----

  private fail(what: string, step: Step, payload: unknown, reply?: Reply): never {
    const cut = (v: unknown) => {
      const s = JSON.stringify(v);
      return s && s.length > 3000 ? `${s.slice(0, 3000)}…` : s;
    };
    throw new FuzzFailure(`${what}\n  step: ${cut(step)}\n  payload: ${cut(payload)}\n  reply: ${cut(reply?.response)}`);
  }

  /** Whether every occurrence of a forbidden token in `text` sits in something a member typed (shown whole, or 3 characters of context when cut). */
  private echoed(text: string, re: RegExp): boolean {
    const matches = [...text.matchAll(new RegExp(re.source, `${re.flags}g`))];
    if (matches.length === 0) return false;
    for (const m of matches) {
      const i = m.index;
      const left = text.slice(Math.max(0, i - 3), i + m[0].length);
      const right = text.slice(i, i + m[0].length + 3);
      const covers = (x: string) => {
        for (let j = text.indexOf(x); j !== -1; j = text.indexOf(x, j + 1)) if (j <= i && j + x.length >= i + m[0].length) return true;
        return false;
      };
      if (!this.typed.some((x) => x.includes(left) || x.includes(right) || covers(x))) return false;
    }
    return true;
  }

  /** Routes one generated interaction and checks every property; throws FuzzFailure on a violation. */
  async step(step: Step): Promise<Reply> {
    const { bot } = this;
    bot.clock.now += step.env.advanceMs;
    const payload = await this.payloadOf(step);
    for (const text of [...inputStrings(payload), ...[...this.files.values()].slice(-1)]) {
      if (FORBIDDEN.some((f) => f.re.test(normalize(text))) && this.typed.length < 5000) this.typed.push(normalize(text));
    }
    const callsBefore = bot.api.calls.length;
    const logBefore = bot.log.lines.length;
    const before = this.snapshot();
    const foreignVote = await this.foreignVoteKey(payload);
    const guarded = await this.guarded(payload);

    let reply: Reply;
    try {
      reply = await bot.run(payload as never);
    } catch (error) {
      this.fail(`route()/after() threw or a payload broke Discord's limits: ${error instanceof Error ? error.stack : String(error)}`, step, payload);
    }
    counter.interactions++;
    const calls = bot.api.calls.slice(callsBefore);
    const res = reply.response as { type: number; data?: Record<string, unknown> };

    // Response type fits the interaction type.
    const allowed: Record<number, number[]> = { 1: [1], 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };
    const expected = allowed[payload.type as number] ?? [4];
    if (!expected.includes(res.type)) this.fail(`response type ${res.type} for interaction type ${String(payload.type)}`, step, payload, reply);
    if (payload.type === 4 && res.type === 8) {
      const choices = (res.data as { choices?: unknown[] } | undefined)?.choices;
      if (!Array.isArray(choices) || choices.length > 25) this.fail('autocomplete without choices or with more than 25', step, payload, reply);
    }
    if (res.type === 9) {
      const comps = (res.data as { components?: unknown[] }).components ?? [];
      if (comps.length < 1 || comps.length > 5) this.fail(`modal with ${comps.length} components`, step, payload, reply);
      counter.modalsOpened++;
    }

    // No mention can be parsed from any message.
    const bodies: { where: string; body: Record<string, unknown> }[] = [];
    if ((res.type === 4 || res.type === 7) && res.data) bodies.push({ where: 'response', body: res.data });
    for (const c of calls) {
      const body = (c.method === 'editMessage' ? c.args[2] : c.args[1]) as Record<string, unknown> | undefined;
      if (body) bodies.push({ where: c.method, body });
    }
    for (const { where, body } of bodies) {
      const am = body.allowed_mentions as { parse?: unknown } | undefined;
      if (!am || !Array.isArray(am.parse) || am.parse.length !== 0) this.fail(`${where}: allowed_mentions.parse is not [] (${JSON.stringify(am)})`, step, payload, reply);
    }

    // No internals in visible text.
    const visible = [...visibleStrings(res.data), ...calls.flatMap((c) => visibleStrings(c.args.slice(1)))];
    for (const f of FORBIDDEN) {
      const hit = visible.find((s) => f.re.test(s) && !this.echoed(normalize(s), f.re));
      if (hit !== undefined) this.fail(`visible text contains ${f.name}: ${JSON.stringify(hit.slice(0, 300))}`, step, payload, reply);
    }

    // Nothing logged as an error (an unexpected error = a crash path).
    const errors = bot.log.lines.slice(logBefore).filter((l) => l.level === 'error');
    if (errors.length) this.fail(`error logged: ${JSON.stringify(errors).slice(0, 1500)}`, step, payload, reply);

    // An error answer changed nothing.
    const content = typeof res.data?.content === 'string' ? res.data.content : undefined;
    const edited = calls.filter((c) => c.method === 'editOriginal').map((c) => (c.args[1] as { content?: string }).content ?? '');
    const rejected = (res.type === 4 && content !== undefined && isErrorText(content)) || (res.type === 5 && edited.some(isErrorText));
    // A component naming a vote of another guild or channel (a forged custom_id) never touches it.
    if (foreignVote) {
      const changed = Session.changed(new Map([[foreignVote, before.get(foreignVote)!]]), new Map([[foreignVote, this.snapshot().get(foreignVote)!]]));
      if (changed.length) this.fail(`a vote of another guild/channel was changed through a forged custom_id`, step, payload, reply);
    }

    // Destructive actions succeed only for who may do them (judged from the interaction, never the custom_id).
    const breach = await guarded.check();
    if (breach) this.fail(`permission not enforced: ${breach}`, step, payload, reply);

    counter.byKind[`${step.kind}/${step.env.shape}`] = (counter.byKind[`${step.kind}/${step.env.shape}`] ?? 0) + 1;
    if (rejected) {
      const key = errorKeyOf(content ?? edited.find(isErrorText) ?? '') ?? '?';
      counter.errorKeys[key] = (counter.errorKeys[key] ?? 0) + 1;
      this.outcomes.error++;
      counter.errors++;
      const changed = Session.changed(before, this.snapshot());
      if (changed.length) this.fail(`state changed (${changed.join(', ')}) although the answer was an error: ${content ?? edited.join(' | ')}`, step, payload, reply);
    } else this.outcomes.ok++;
    if (content && /^(?:Saved|Gespeichert)/.test(content)) counter.saved++;

    // Learn the custom_ids this reply offers, for later steps.
    harvest(this.h, res.data, res.type === 9);
    for (const c of calls) harvest(this.h, c.method === 'editMessage' ? c.args[2] : c.args[1], false);
    return reply;
  }
}

/** A memory store (as createStore({ memory: true }) builds it) whose raw Map the harness can read. */
function memoryStore(): { store: Store; raw: Map<string, unknown> } {
  const raw = new Map<string, unknown>();
  const keyv = new Keyv({ store: raw, namespace: '', useKeyPrefix: false, throwOnErrors: true });
  const backend = new LocalBackend({ kind: 'memory', keyv, description: 'fuzz memory store' });
  return { store: createFacade(backend, { namespace: 'saltbot', draftTtlMs: DEFAULT_DRAFT_TTL_MS, historyLimit: DEFAULT_HISTORY_LIMIT }), raw };
}

/** Installs a process-level unhandledRejection listener; returns the list it fills and a remover. */
export function watchRejections(): { seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', listener);
  return { seen, stop: () => void process.off('unhandledRejection', listener) };
}

/** Lets pending microtasks and timers settle, so an unhandled rejection would be reported. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
