/**
 * fast-check arbitraries for fuzzing the router: plain data describing one interaction (a Step),
 * which the harness (./harness.ts) turns into a raw Discord payload against the bot's live state
 * (custom_ids harvested from earlier replies, the fields of modals it opened). Steps are plain
 * JSON so a failing counterexample prints readably and replays from its seed.
 */
import fc from 'fast-check';
import { saltCommand } from '../../commands/index.js';
import { CARD_STEPS, FORMS } from '../../src/discord/customId.js';

// ---- the world: guilds, channels, members ----------------------------------------------------

export const GUILD_A = '1300000000000000100';
export const GUILD_B = '1300000000000000900';
/** Two channels in guild A, one in guild B (votes and forms cross between them). */
export const CHANNELS = [
  { guildId: GUILD_A, channelId: '1300000000000000200' },
  { guildId: GUILD_A, channelId: '1300000000000000201' },
  { guildId: GUILD_B, channelId: '1300000000000000901' },
] as const;
export const USERS = [
  { id: '1300000000000000301', username: 'alice', global_name: 'Alice' },
  { id: '1300000000000000302', username: 'bob', global_name: 'Bob' },
  { id: '1300000000000000303', username: 'carol', global_name: null },
] as const;

/** Discord locales we ship, some we do not, and an empty one. */
export const LOCALE_POOL = ['en-US', 'es-ES', 'pt-BR', 'de', 'fr', 'ja', 'es-419', 'en-GB', 'zh-CN', 'xx-YY', ''] as const;

// ---- text ------------------------------------------------------------------------------------

/** Mention syntax, markdown, code fences, invisible / bidi / combining characters, emoji, template-ish text. */
export const PIECES = [
  '@everyone', '@here', '<@123>', '<@!123>', '<@&456>', '<#789>', '</salt new:1>', '<t:0:R>', '<:x:1>',
  '```', '```js\n', '`', '**', '__', '~~', '||', '> ', '>>> ', '# ', '-# ', '[link](https://example.com)', '\\',
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u202e', '\u202d', '\u200f', '\u2066', '\u2069', '\u00ad',
  'e\u0301', 'a\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307', 'Z\u0334\u0321\u0353a\u0336l\u0337g\u0334o',
  '😀', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇩🇪', '\ud83d', 'ﷺ', 'مرحبا', 'שלום', '日本語', 'Ǆ', 'ß', 'İ',
  '\n', '\r\n', '\t', '\u0000', '\u0007', '%s', '{name}', '{{x}}', '$&', '$1', '__proto__', 'constructor', 'toString',
  ':', '::', '~', '-', ',', ';', '/', ' ', '  ',
] as const;

const PLAUSIBLE = [
  '128', '126', '60', '200', '7', '350', '4', '1', '9', '17', '33', '48', 'A minor', 'F#m', '8A', 'Gb minor', 'C major',
  'progressive house', 'supersaw_core', 'pluck', 'noise_air', 'sub', 'bright', 'warm', 'glassy, rich', 'rich',
  '200-16000', '16k-200', '7, 25, 80', '1, 9, 17, 25, 33', 'calling', 'layer-stack', 'euphoric-sun', 'our-drop',
  'core', 'lead', 'saw', 'lowpass', '-6 dB', '+1 octave', '10, 20, 30, 40', '5, 10, 350, 4',
] as const;

/** Numbers the way members type them, and the ways they go wrong. */
export const numberish: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.integer({ min: 0, max: 400 }).map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.constantFrom(
    '-0', '1e309', '-1e309', '1e-309', '0x80', '0b1', '0o7', '128.5', '12,5', '١٢٨', '１２８', '128bpm', '7 dB', '350ms',
    '9007199254740993', '-', '.', '1..2', '7,,8', '1/2/3/4', '  42  ', 'Infinity', 'NaN', '+-3', '3-', '1_000',
  ),
);

function repeatTo(piece: string, n: number): string {
  if (piece.length === 0) return '';
  return piece.repeat(Math.ceil(n / piece.length)).slice(0, n);
}

const specialText = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.constantFrom(...PLAUSIBLE), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 })), {
    minLength: 1,
    maxLength: 10,
  })
  .map((parts) => parts.join(''));

/** Around Discord's and saltbot's length limits (a 4000-character modal field, a 6000-character option). */
export const longText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('a', 'é', '😀', 'e\u0301', '\u200b', '@everyone ', '```', '<@&456> ', '9'),
    fc.constantFrom(33, 61, 81, 99, 100, 101, 161, 256, 1000, 1999, 2000, 2001, 3999, 4000, 4001, 6000, 6001),
  )
  .map(([p, n]) => repeatTo(p, n));

/** Anything a member could type into a text field or a string option. */
export const fuzzText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PLAUSIBLE) },
  { weight: 3, arbitrary: numberish },
  { weight: 5, arbitrary: specialText },
  { weight: 1, arbitrary: longText },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n', '\u200b', '\u3000') },
);

// ---- the envelope ----------------------------------------------------------------------------

export type Shape = 'guild' | 'dm' | 'noMember' | 'memberNoUser' | 'userTopLevel' | 'noChannel' | 'noLocale';
export type Perms = 'member' | 'manage' | 'admin' | 'garbage' | 'missing';

export interface Env {
  user: number;
  channel: number;
  locale: string;
  guildLocale: string;
  shape: Shape;
  perms: Perms;
  /** The member's server nickname (shown in cards, history, votes). */
  nick: string | null;
  /** Advance the bot's clock before this interaction (rate limits, vote deadlines). */
  advanceMs: number;
}

export function envArb(shapes: fc.Arbitrary<Shape> = fc.constantFrom<Shape>('guild')): fc.Arbitrary<Env> {
  return fc.record({
    user: fc.nat(USERS.length - 1),
    channel: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.constant(2) }),
    locale: fc.constantFrom(...LOCALE_POOL),
    guildLocale: fc.constantFrom(...LOCALE_POOL),
    shape: shapes,
    perms: fc.constantFrom<Perms>('member', 'member', 'member', 'manage', 'admin', 'garbage', 'missing'),
    nick: fc.option(fuzzText, { freq: 3 }),
    advanceMs: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 120_000 }) }, { weight: 1, arbitrary: fc.constant(25 * 3_600_000) }),
  });
}

/** Mostly well-formed guild interactions, sometimes DMs and payloads missing parts. */
export const anyShape: fc.Arbitrary<Shape> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Shape>('guild') },
  { weight: 1, arbitrary: fc.constantFrom<Shape>('dm', 'noMember', 'memberNoUser', 'userTopLevel', 'noChannel', 'noLocale') },
);

// ---- commands: the real tree and what can go wrong with it -----------------------------------

export interface OptionDef {
  name: string;
  type: number;
  min?: number;
  max?: number;
  maxLength?: number;
  autocomplete?: boolean;
  choices?: string[];
}

type RawOpt = { type: number; name: string; options?: RawOpt[]; min_value?: number; max_value?: number; max_length?: number; autocomplete?: boolean; choices?: { value: string }[] };

function defOf(o: RawOpt): OptionDef {
  return {
    name: o.name,
    type: o.type,
    ...(o.min_value !== undefined ? { min: o.min_value } : {}),
    ...(o.max_value !== undefined ? { max: o.max_value } : {}),
    ...(o.max_length !== undefined ? { maxLength: o.max_length } : {}),
    ...(o.autocomplete ? { autocomplete: true } : {}),
    ...(o.choices ? { choices: o.choices.map((c) => c.value) } : {}),
  };
}

/** Every /salt subcommand path with its options, read from the registry (so new commands are fuzzed too). */
export const PATHS: readonly { path: string[]; options: OptionDef[] }[] = (saltCommand.options as unknown as RawOpt[]).flatMap((o) =>
  o.type === 2 ? (o.options ?? []).map((s) => ({ path: [o.name, s.name], options: (s.options ?? []).map(defOf) })) : [{ path: [o.name], options: (o.options ?? []).map(defOf) }],
);
const FAKE_PATHS = [[], ['nope'], ['layer'], ['preset'], ['layer', 'zap'], ['preset', 'list', 'extra'], ['NEW'], ['new', 'new'], ['__proto__'], ['constructor']];
const ALL_OPTION_NAMES = [...new Set(PATHS.flatMap((p) => p.options.map((o) => o.name)))];

export interface SlashOpt {
  name: string;
  type: number;
  value: unknown;
  focused?: boolean;
}

/** A value for an option of a type: usually the right JS type (in range or not), sometimes not. */
function valueFor(def: OptionDef): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(fuzzText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constantFrom([], {}, [1], { value: 1 }));
  let right: fc.Arbitrary<unknown>;
  switch (def.type) {
    case 4:
      right = fc.oneof(
        fc.integer({ min: def.min ?? -10, max: def.max ?? 10_000 }),
        fc.integer(),
        fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 0, -1, 1e21, (def.min ?? 0) - 1, (def.max ?? 0) + 1),
        fc.double({ noNaN: false }),
      );
      break;
    case 5:
      right = fc.boolean();
      break;
    case 11:
      right = fc.constantFrom('9000', '9001', 'nope');
      break;
    default:
      right = def.choices ? fc.oneof(fc.constantFrom(...def.choices), fuzzText) : fuzzText;
  }
  return fc.oneof({ weight: 5, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

/** Options for a path: some of its real options (typed or mistyped) plus, sometimes, unknown ones. */
function optionsFor(defs: readonly OptionDef[]): fc.Arbitrary<SlashOpt[]> {
  const real = defs.map((d) =>
    fc.option(
      fc.record({
        name: fc.constant(d.name),
        type: fc.oneof({ weight: 6, arbitrary: fc.constant(d.type) }, { weight: 1, arbitrary: fc.constantFrom(3, 4, 5, 10, 11, 6, 1, 99) }),
        value: valueFor(d),
      }),
      { freq: 3 },
    ),
  );
  const extra = fc.array(
    fc.record({
      name: fc.oneof(fc.constantFrom(...ALL_OPTION_NAMES), fuzzText),
      type: fc.constantFrom(3, 4, 5, 10, 11, 6, 7, 8, 9),
      value: fc.oneof(fuzzText, fc.integer(), fc.boolean()),
    }),
    { maxLength: 2 },
  );
  return fc
    .tuple(fc.tuple(...real), fc.oneof({ weight: 5, arbitrary: fc.constant([] as SlashOpt[]) }, { weight: 1, arbitrary: extra }))
    .map(([r, e]) => [...(r.filter((x) => x !== null) as SlashOpt[]), ...e]);
}

export interface AttachmentSpec {
  /** The size Discord reports. */
  size: number;
  /** What the download returns (the fuzzer's fetcher serves it). */
  body: string;
  /** Whether the attachment appears in `resolved` at all. */
  resolved: boolean;
}

export interface SlashStep {
  kind: 'slash';
  env: Env;
  /** The command name ('salt', or something unknown). */
  name: string;
  /** data.type (1 chat input; 2 user, 3 message commands). */
  dataType: number;
  path: string[];
  options: SlashOpt[];
  attachment?: AttachmentSpec;
}

export interface AutocompleteStep {
  kind: 'autocomplete';
  env: Env;
  path: string[];
  options: SlashOpt[];
}

// ---- import bodies ---------------------------------------------------------------------------

/** JSON (and not-JSON) a member might paste or attach to /salt import: valid files, broken ones, huge ones, nested ones. */
export function importBodyArb(validSamples: readonly string[]): fc.Arbitrary<string> {
  const mutatedPreset = fc
    .tuple(fc.constantFrom(...validSamples), fc.array(fc.tuple(fc.constantFrom('track', 'bpm', 'key', 'layers', 'id', 'ltv', 'version', 'format', 'spec', 'name', 'timing', 'sidechain', 'texture'), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 3 }))
    .map(([sample, edits]) => {
      const obj = JSON.parse(sample) as Record<string, unknown>;
      for (const [key, value] of edits) setDeep(obj, key, value);
      return JSON.stringify(obj);
    });
  const textInjected = fc.tuple(fc.constantFrom(...validSamples), fc.constantFrom('title', 'style', 'name', 'description', 'id'), fuzzText).map(([sample, key, text]) => {
    const obj = JSON.parse(sample) as Record<string, unknown>;
    setDeep(obj, key, text);
    return JSON.stringify(obj);
  });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...validSamples) },
    { weight: 4, arbitrary: mutatedPreset },
    { weight: 3, arbitrary: textInjected },
    { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fuzzText },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '[' + '['.repeat(2900) + ']'.repeat(2900) + ']',
        '{"a":'.repeat(1000) + '1' + '}'.repeat(1000),
        JSON.stringify({ layers: Array.from({ length: 400 }, (_, i) => ({ id: `l${i}` })) }),
        JSON.stringify(Array.from({ length: 3000 }, () => 1)),
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
        '\ufeff{}',
        '{"version":1}\u0000',
        'null',
        'undefined',
        '{"format":"saltbot.preset"}',
        '{"version":1,"track":{"bpm":1e400}}',
        `{"version":1,"track":{"bpm":128,"key":"A minor","style":"${'x'.repeat(5000)}"}}`,
        '"' + 'a'.repeat(7000) + '"',
        '{"a":"' + '\u00e9'.repeat(40_000) + '"}',
      ),
    },
  );
}

function setDeep(obj: unknown, key: string, value: unknown): void {
  const seen = new Set<unknown>();
  const visit = (o: unknown): boolean => {
    if (!o || typeof o !== 'object' || seen.has(o)) return false;
    seen.add(o);
    if (!Array.isArray(o) && Object.hasOwn(o, key)) {
      (o as Record<string, unknown>)[key] = value;
      return true;
    }
    return Object.values(o as Record<string, unknown>).some(visit);
  };
  if (!visit(obj) && obj && typeof obj === 'object') (obj as Record<string, unknown>)[key] = value;
}

// ---- custom_ids ------------------------------------------------------------------------------

export type IdClass = 'any' | 'button' | 'select' | 'form' | 'vote';
export type Mutation =
  | 'version0' | 'version2' | 'upper' | 'noVersion' | 'extraArg' | 'dropLast' | 'hugeBase' | 'negBase' | 'bigBase'
  | 'pad101' | 'badSlug' | 'trailingColon' | 'unicodeArg' | 'swapKind' | 'otherVote' | 'spaces';

export type IdSpec =
  | { from: 'harvest'; cls: IdClass; pick: number }
  | { from: 'mutate'; cls: IdClass; pick: number; how: Mutation; text: string }
  | { from: 'literal'; value: string };

const forgedLiteral: fc.Arbitrary<string> = fc.oneof(
  fuzzText,
  fc.constantFrom(...CARD_STEPS).map((s) => `s1:card:${s}`),
  fc.tuple(fc.constantFrom(...CARD_STEPS), fuzzText).map(([s, x]) => `s1:card:${s}:${x}`),
  fc.tuple(fc.constantFrom(...FORMS, 'nope'), fc.oneof(fc.nat().map(String), fc.constantFrom('999999999', '9999999999', '0', '-1', '00', '1e3', '')), fc.option(fc.oneof(fc.constantFrom('supersaw_core', 'pluck', 'nope'), fuzzText))).map(
    ([f, b, l]) => `s1:form:${f}:${b}${l === null ? '' : `:${l}`}`,
  ),
  fc.tuple(fc.constantFrom(...FORMS), fc.option(fc.oneof(fc.constantFrom('supersaw_core', 'ghost-layer', 'a'), fuzzText))).map(([f, l]) => `s1:next:${f}${l === null ? '' : `:${l}`}`),
  fc.tuple(fc.constantFrom('edit', 'remove', 'delete'), fc.option(fuzzText)).map(([op, x]) => `s1:pick:${op}${x === null ? '' : `:${x}`}`),
  fc.tuple(fc.constantFrom('replace', 'reset', 'publish', 'remove', 'nuke'), fc.option(fc.oneof(fc.constantFrom('calling~130~9m', '-~-~-', 'supersaw_core', 'full~200', 'compact~50', '~~~~', 'x~99999~99m'), fuzzText))).map(
    ([w, a]) => `s1:ok:${w}${a === null ? '' : `:${a}`}`,
  ),
  fc.constantFrom('s1:cancel', 's1:cancel:x', 's1:', 's1', ':', '', 's0:card:track', 's2:card:track', 'S1:card:track', ' s1:card:track', 's1:card:', 's1::'),
  fc.tuple(fc.constantFrom('pick', 'close', 'open'), fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{10}$/), fuzzText)).map(([op, id]) => `s1:vote:${op}:${id}`),
  fc.constantFrom(101, 150, 1000).map((n) => `s1:card:track${':'.repeat(n)}`.slice(0, n)),
);

export function idSpecArb(cls: IdClass, forgedWeight = 1): fc.Arbitrary<IdSpec> {
  const harvested: fc.Arbitrary<IdSpec> = fc.record({ from: fc.constant('harvest' as const), cls: fc.constant(cls), pick: fc.nat() });
  if (forgedWeight <= 0) return harvested;
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ from: fc.constant('harvest' as const), cls: fc.constant(cls), pick: fc.nat() }) },
    {
      weight: 2 * forgedWeight,
      arbitrary: fc.record({
        from: fc.constant('mutate' as const),
        cls: fc.constant(cls),
        pick: fc.nat(),
        how: fc.constantFrom<Mutation>('version0', 'version2', 'upper', 'noVersion', 'extraArg', 'dropLast', 'hugeBase', 'negBase', 'bigBase', 'pad101', 'badSlug', 'trailingColon', 'unicodeArg', 'swapKind', 'otherVote', 'spaces'),
        text: fuzzText,
      }),
    },
    { weight: 2 * forgedWeight, arbitrary: fc.record({ from: fc.constant('literal' as const), value: forgedLiteral }) },
  );
}

/** Applies a mutation to a real custom_id. `text` is generated text for mutations that insert some. */
export function mutateId(id: string, how: Mutation, text: string, otherVoteId?: string): string {
  const parts = id.split(':');
  switch (how) {
    case 'version0':
      return ['s0', ...parts.slice(1)].join(':');
    case 'version2':
      return ['s2', ...parts.slice(1)].join(':');
    case 'upper':
      return id.toUpperCase();
    case 'noVersion':
      return parts.slice(1).join(':');
    case 'extraArg':
      return `${id}:${text}`;
    case 'dropLast':
      return parts.slice(0, -1).join(':');
    case 'hugeBase':
      return parts[1] === 'form' ? [...parts.slice(0, 3), '999999999', ...parts.slice(4)].join(':') : `${id}:999999999`;
    case 'negBase':
      return parts[1] === 'form' ? [...parts.slice(0, 3), '-1', ...parts.slice(4)].join(':') : `${id}:-1`;
    case 'bigBase':
      return parts[1] === 'form' ? [...parts.slice(0, 3), '99999999999999999999', ...parts.slice(4)].join(':') : id;
    case 'pad101':
      return (id + ':' + 'x'.repeat(101)).slice(0, Math.max(101, id.length + 1));
    case 'badSlug':
      return parts.length > 2 ? [...parts.slice(0, -1), text].join(':') : `${id}:${text}`;
    case 'trailingColon':
      return `${id}:`;
    case 'unicodeArg':
      return parts.length > 2 ? [...parts.slice(0, -1), `${parts.at(-1)}\u200b`].join(':') : `${id}\u202e`;
    case 'swapKind':
      return parts.length > 1 ? [parts[0], parts[1] === 'vote' ? 'card' : 'vote', ...parts.slice(2)].join(':') : id;
    case 'otherVote':
      return parts[1] === 'vote' && otherVoteId ? [...parts.slice(0, 3), otherVoteId].join(':') : id;
    case 'spaces':
      return ` ${id} `;
  }
}

// ---- component and modal steps ---------------------------------------------------------------

export type ValSpec = { pick: number } | { raw: string };

export interface ComponentStep {
  kind: 'component';
  env: Env;
  id: IdSpec;
  /** data.component_type: 2 button, 3 string select, 5-8 other selects, others invalid. */
  componentType: number;
  /** Select values (null: no `values` at all). */
  values: ValSpec[] | null;
  withMessage: boolean;
}

export type FillMode = 'keep' | 'text' | 'pick' | 'raw' | 'omit';
export interface Fill {
  mode: FillMode;
  text: string;
  picks: number[];
  raw: string[];
}

export interface ModalStep {
  kind: 'modal';
  env: Env;
  id: IdSpec;
  /** One per field of the modal, in order (missing ones are omitted). */
  fills: Fill[];
  /** Fields the modal never had. */
  extras: { id: string; value: string }[];
  /** Label-wrapped (what Discord sends now), legacy action rows, or bare inputs. */
  layout: 'label' | 'row' | 'bare';
}

export interface RawStep {
  kind: 'raw';
  env: Env;
  /** Interaction type: 1 ping, 2-5 real, others unknown. */
  type: number;
  data: unknown;
}

export type Step = SlashStep | AutocompleteStep | ComponentStep | ModalStep | RawStep;

const fillArb: fc.Arbitrary<Fill> = fc.record({
  mode: fc.constantFrom<FillMode>('keep', 'keep', 'keep', 'text', 'text', 'text', 'pick', 'pick', 'raw', 'omit'),
  text: fc.oneof({ weight: 2, arbitrary: numberish }, { weight: 3, arbitrary: fuzzText }),
  picks: fc.array(fc.nat(), { maxLength: 4 }),
  raw: fc.array(fuzzText, { maxLength: 3 }),
});

export function slashArb(env: fc.Arbitrary<Env>, opts: { importWeight?: number; bodies?: fc.Arbitrary<string> } = {}): fc.Arbitrary<SlashStep> {
  const real = fc.constantFrom(...PATHS).chain((p) =>
    fc.record({
      kind: fc.constant('slash' as const),
      env,
      name: fc.oneof({ weight: 20, arbitrary: fc.constant('salt') }, { weight: 1, arbitrary: fc.constantFrom('SALT', 'salty', '', 'help') }),
      dataType: fc.oneof({ weight: 30, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(2, 3, 4, 0) }),
      path: fc.constant(p.path),
      options: optionsFor(p.options),
    }),
  );
  const fake = fc.record({
    kind: fc.constant('slash' as const),
    env,
    name: fc.constant('salt'),
    dataType: fc.constant(1),
    path: fc.oneof(fc.constantFrom(...FAKE_PATHS), fc.array(fuzzText, { maxLength: 3 })),
    options: optionsFor([]),
  });
  const bodies = opts.bodies;
  const imports = bodies
    ? fc.record({
        kind: fc.constant('slash' as const),
        env,
        name: fc.constant('salt'),
        dataType: fc.constant(1),
        path: fc.constant(['import']),
        options: fc.oneof(
          { weight: 3, arbitrary: bodies.map((b): SlashOpt[] => [{ name: 'json', type: 3, value: b }]) },
          { weight: 2, arbitrary: fc.constant<SlashOpt[]>([{ name: 'file', type: 11, value: '9000' }]) },
          { weight: 1, arbitrary: bodies.map((b): SlashOpt[] => [{ name: 'json', type: 3, value: b }, { name: 'file', type: 11, value: '9000' }]) },
          { weight: 1, arbitrary: fc.constant<SlashOpt[]>([]) },
        ),
        attachment: fc.record({
          size: fc.oneof(fc.nat(70_000), fc.constantFrom(0, 65_536, 65_537, 2 ** 31)),
          body: bodies,
          resolved: fc.boolean(),
        }),
      })
    : undefined;
  const arbs: fc.WeightedArbitrary<SlashStep>[] = [
    { weight: 12, arbitrary: real },
    { weight: 1, arbitrary: fake },
  ];
  if (imports) arbs.push({ weight: opts.importWeight ?? 2, arbitrary: imports });
  return fc.oneof(...arbs);
}

export function autocompleteArb(env: fc.Arbitrary<Env>): fc.Arbitrary<AutocompleteStep> {
  const withFocus = fc.constantFrom(...PATHS.filter((p) => p.options.length > 0)).chain((p) =>
    fc.record({
      kind: fc.constant('autocomplete' as const),
      env,
      path: fc.constant(p.path),
      options: fc.tuple(optionsFor(p.options), fc.nat(), fc.oneof(fuzzText, fc.integer(), fc.constant(null))).map(([opts, i, focusValue]) => {
        const names = p.options.map((o) => o.name);
        const name = names[i % names.length]!;
        const def = p.options.find((o) => o.name === name)!;
        return [...opts.filter((o) => o.name !== name), { name, type: def.type, value: focusValue, focused: true }];
      }),
    }),
  );
  const noFocus = fc.record({ kind: fc.constant('autocomplete' as const), env, path: fc.constantFrom(...PATHS.map((p) => p.path), ...FAKE_PATHS), options: fc.constant<SlashOpt[]>([]) });
  return fc.oneof({ weight: 6, arbitrary: withFocus }, { weight: 1, arbitrary: noFocus });
}

export function componentArb(env: fc.Arbitrary<Env>, forgedWeight = 1): fc.Arbitrary<ComponentStep> {
  return fc.constantFrom<IdClass>('any', 'any', 'button', 'select', 'select', 'vote').chain((cls) =>
    fc.record({
      kind: fc.constant('component' as const),
      env,
      id: idSpecArb(cls, forgedWeight),
      componentType: fc.oneof({ weight: 12, arbitrary: fc.constant(-1) /* the right one */ }, { weight: 1, arbitrary: fc.constantFrom(2, 3, 4, 5, 6, 7, 8, 1, 99) }),
      values: fc.oneof(
        { weight: 6, arbitrary: fc.array(fc.record({ pick: fc.nat() }), { minLength: 1, maxLength: 2 }) },
        { weight: 2, arbitrary: fc.array(fc.oneof(fc.record({ pick: fc.nat() }), fc.record({ raw: fuzzText })), { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      withMessage: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
  );
}

export function modalArb(env: fc.Arbitrary<Env>, forgedWeight = 1): fc.Arbitrary<ModalStep> {
  return fc.record({
    kind: fc.constant('modal' as const),
    env,
    id: idSpecArb('form', forgedWeight),
    fills: fc.array(fillArb, { minLength: 0, maxLength: 6 }),
    extras: fc.oneof({ weight: 5, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.record({ id: fc.oneof(fuzzText, fc.constantFrom('bpm', 'id', 'key', 'style', '__proto__')), value: fuzzText }), { maxLength: 3 }) }),
    layout: fc.constantFrom<'label' | 'row' | 'bare'>('label', 'label', 'label', 'label', 'row', 'bare'),
  });
}

export function rawArb(env: fc.Arbitrary<Env>): fc.Arbitrary<RawStep> {
  return fc.record({
    kind: fc.constant('raw' as const),
    env,
    type: fc.constantFrom(1, 2, 3, 4, 5, 0, 6, 99, -1),
    data: fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.constant({}),
      fc.record({ name: fc.constant('salt'), type: fc.constantFrom(1, 2, 3), options: fc.constant(null) }),
      fc.record({ custom_id: fc.oneof(fc.constant(undefined), fc.integer(), fuzzText), component_type: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ custom_id: fc.constant('s1:form:track:1'), components: fc.oneof(fc.constant(null), fc.constant('x'), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })) }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  });
}

export interface StepWeights {
  slash?: number;
  autocomplete?: number;
  component?: number;
  modal?: number;
  raw?: number;
  forgedWeight?: number;
  importWeight?: number;
  shapes?: fc.Arbitrary<Shape>;
  bodies?: fc.Arbitrary<string>;
}

/** One interaction of any kind, weighted. */
export function stepArb(w: StepWeights): fc.Arbitrary<Step> {
  const env = envArb(w.shapes ?? anyShape);
  const arbs: fc.WeightedArbitrary<Step>[] = [];
  if (w.slash) arbs.push({ weight: w.slash, arbitrary: slashArb(env, { ...(w.bodies ? { bodies: w.bodies } : {}), ...(w.importWeight !== undefined ? { importWeight: w.importWeight } : {}) }) });
  if (w.autocomplete) arbs.push({ weight: w.autocomplete, arbitrary: autocompleteArb(env) });
  if (w.component) arbs.push({ weight: w.component, arbitrary: componentArb(env, w.forgedWeight ?? 1) });
  if (w.modal) arbs.push({ weight: w.modal, arbitrary: modalArb(env, w.forgedWeight ?? 1) });
  if (w.raw) arbs.push({ weight: w.raw, arbitrary: rawArb(env) });
  return fc.oneof(...arbs);
}
