/**
 * Localization. Messages live in `locales/<Discord locale>/bot.json` (nested objects, `{name}`
 * placeholders) and command names/descriptions in `locales/<locale>/commands.json`. en-US is the
 * reference: its keys type every lookup, and every other locale must have the same keys and
 * placeholders (a test checks). Unknown locales fall back by language, then to en-US.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../util/root.js';
import { NAMESPACES, type Catalog } from './keys.js';

export const LOCALES = ['en-US', 'es-ES', 'pt-BR', 'de', 'fr', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en-US';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every message key, e.g. "errors.generic". */
export type MessageKey = Leaves<Catalog>;
export type Params = Readonly<Record<string, string | number>>;

type Tree = { [key: string]: string | Tree };

const catalogs = new Map<string, Map<string, string>>();

function flatten(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else flatten(v, `${prefix}${k}.`, out);
  }
  return out;
}

export function localeDir(locale: string): string {
  return join(projectRoot(), 'locales', locale);
}

/** A locale file; a missing file reads as empty (lookups then fall back to en-US; the locale test flags it). */
function readJson(locale: string, file: string): Tree {
  const path = join(localeDir(locale), `${file}.json`);
  if (!existsSync(path)) return {};
  return JSON.parse(readFileSync(path, 'utf8')) as Tree;
}

/** The flat catalog of a locale: its messages (every namespace file) or its command texts. Cached. */
export function catalog(locale: Locale, which: 'bot' | 'commands' = 'bot'): Map<string, string> {
  const id = `${locale}/${which}`;
  let cat = catalogs.get(id);
  if (!cat) {
    cat = new Map();
    if (which === 'commands') flatten(readJson(locale, 'commands'), '', cat);
    else for (const ns of NAMESPACES) flatten(readJson(locale, ns), `${ns}.`, cat);
    catalogs.set(id, cat);
  }
  return cat;
}

/** Maps any Discord locale to one we ship: exact, then same language (es-419 → es-ES), then en-US. */
export function resolveLocale(locale: string | undefined | null): Locale {
  if (!locale) return DEFAULT_LOCALE;
  if ((LOCALES as readonly string[]).includes(locale)) return locale as Locale;
  const known = resolved.get(locale);
  if (known) return known;
  const lang = locale.split('-')[0]!.toLowerCase();
  const loc = LOCALES.find((l) => l.split('-')[0]!.toLowerCase() === lang) ?? DEFAULT_LOCALE;
  // Discord has a few dozen locales; anything else (a forged payload) is not remembered.
  if (resolved.size < 64) resolved.set(locale, loc);
  return loc;
}
const resolved = new Map<string, Locale>();

const PLACEHOLDER = /\{(\w+)\}/g;

/** Fills `{name}` placeholders; unknown placeholders stay visible rather than vanish. */
export function format(template: string, params: Params = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * A template split once at its placeholders: `parts` alternates literal text and placeholder
 * names (`['Track: ', 'bpm', ' BPM']`). Filling it gives exactly what `format` gives. A template
 * without placeholders also keeps its final text per locale (command references localized).
 */
interface Compiled {
  readonly parts: readonly string[];
  /** The finished message of a template without placeholders (whatever the params). */
  readonly fixed?: string;
}

function compile(template: string, loc: Locale): Compiled {
  const parts = template.split(PLACEHOLDER);
  if (parts.length === 1) return { parts, fixed: localizeCommandRefs(template, loc) };
  return { parts };
}

function fill(parts: readonly string[], params: Params | undefined): string {
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    out += (params !== undefined && name in params ? String(params[name]) : `{${name}}`) + parts[i + 1]!;
  }
  return out;
}

/** Compiled templates by locale and key (keys the catalogs know only; a miss is not remembered). */
const compiledByLocale = new Map<Locale, Map<string, Compiled>>();

function compiled(loc: Locale, key: string): Compiled | undefined {
  let byKey = compiledByLocale.get(loc);
  if (!byKey) {
    byKey = new Map();
    compiledByLocale.set(loc, byKey);
  }
  let entry = byKey.get(key);
  if (entry === undefined) {
    const template = catalog(loc).get(key) ?? catalog(DEFAULT_LOCALE).get(key);
    if (template === undefined) return undefined;
    entry = compile(template, loc);
    byKey.set(key, entry);
  }
  return entry;
}

/** A message in a locale, falling back to en-US for a key a locale lacks. */
export function t(locale: string | undefined | null, key: MessageKey | (string & {}), params?: Params): string {
  const loc = resolveLocale(locale);
  const entry = compiled(loc, key);
  if (entry === undefined) return key;
  if (entry.fixed !== undefined) return entry.fixed;
  return localizeCommandRefs(fill(entry.parts, params), loc);
}

interface CommandNode {
  readonly localized: string;
  readonly children: Map<string, CommandNode>;
}

const commandTrees = new Map<Locale, CommandNode>();

/** The command tree of a locale, keyed by en-US names (from commands.json). */
function commandTree(locale: Locale): CommandNode {
  let tree = commandTrees.get(locale);
  if (tree) return tree;
  const en = readJson(DEFAULT_LOCALE, 'commands');
  const loc = readJson(locale, 'commands');
  const build = (enNode: Tree, locNode: Tree | undefined): CommandNode => {
    const children = new Map<string, CommandNode>();
    for (const [key, value] of Object.entries(enNode)) {
      if (typeof value === 'string' || typeof value.name !== 'string') continue;
      const sub = locNode?.[key];
      children.set(value.name, build(value, typeof sub === 'object' ? sub : undefined));
    }
    const localized = typeof locNode?.name === 'string' ? locNode.name : typeof enNode.name === 'string' ? enNode.name : '';
    return { localized, children };
  };
  tree = build(en, loc);
  commandTrees.set(locale, tree);
  return tree;
}

/**
 * Messages mention commands in their en-US spelling (`/salt preset apply name:calling`). Discord
 * shows members their locale's command names, so references are rewritten to match: subcommand
 * names and `option:` names are replaced by the locale's names.
 */
export function localizeCommandRefs(text: string, locale: Locale): string {
  if (locale === DEFAULT_LOCALE || !text.includes('/')) return text;
  const root = commandTree(locale);
  return text.replace(/\/([\p{Ll}\p{N}_-]+)((?:\s+[\p{Ll}\p{N}_'-]+(?::[^\s`]*)?)*)/gu, (whole, name: string, rest: string) => {
    let node = root.children.get(name);
    if (!node) return whole;
    let out = `/${node.localized}`;
    const tokens = rest.match(/\s+[\p{Ll}\p{N}_'-]+(?::[^\s`]*)?/gu) ?? [];
    let i = 0;
    for (; i < tokens.length; i++) {
      const m = /^(\s+)([^:]+)(:.*)?$/u.exec(tokens[i]!)!;
      const child: CommandNode | undefined = node.children.get(m[2]!);
      if (!child) break;
      out += `${m[1]}${child.localized}${m[3] ?? ''}`;
      if (m[3] === undefined) node = child;
    }
    return out + tokens.slice(i).join('');
  });
}

/** Whether a key exists (for dynamic keys such as lint messages). */
export function hasKey(key: string): boolean {
  return catalog(DEFAULT_LOCALE).has(key);
}

/** A bound translator for one locale. */
export type Translator = (key: MessageKey | (string & {}), params?: Params) => string;
export function translator(locale: string | undefined | null): Translator {
  const loc = resolveLocale(locale);
  return (key, params) => t(loc, key, params);
}

/** `{ "es-ES": "…", … }` for a commands.json key, for Discord's *_localizations fields (en-US excluded). */
export function commandLocalizations(key: string): Partial<Record<Locale, string>> {
  const out: Partial<Record<Locale, string>> = {};
  for (const loc of LOCALES) {
    if (loc === DEFAULT_LOCALE) continue;
    const v = catalog(loc, 'commands').get(key);
    if (v !== undefined) out[loc] = v;
  }
  return out;
}

/** The en-US text of a commands.json key (the default name/description). */
export function commandText(key: string): string {
  const v = catalog(DEFAULT_LOCALE, 'commands').get(key);
  if (v === undefined) throw new Error(`missing command text: ${key}`);
  return v;
}
