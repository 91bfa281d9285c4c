/**
 * Every locale has the same keys and placeholders as en-US; command names and descriptions meet
 * Discord's rules in every locale; texts that become modal labels fit Discord's limits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saltCommand } from '../../commands/index.js';
import { LOCALES, catalog, commandLocalizations, format, localizeCommandRefs, resolveLocale, t } from '../../src/i18n/index.js';
import { COMMAND_NAME_REGEX, DISCORD_LIMITS } from '../../src/discord/limits.js';
import { projectRoot } from '../../src/util/root.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('locale catalogs', () => {
  const reference = catalog('en-US');
  const referenceCommands = catalog('en-US', 'commands');

  it('GIVEN the locales folder WHEN listed THEN exactly the supported locales are there, each with the same files', () => {
    const dirs = readdirSync(join(projectRoot(), 'locales')).sort();
    expect(dirs).toEqual([...LOCALES].sort());
    const files = (l: string) => readdirSync(join(projectRoot(), 'locales', l)).sort();
    for (const l of LOCALES) expect(files(l), l).toEqual(files('en-US'));
  });

  for (const locale of LOCALES.filter((l) => l !== 'en-US')) {
    it(`GIVEN ${locale} WHEN compared with en-US THEN it has the same keys and the same placeholders`, () => {
      const cat = catalog(locale);
      expect([...cat.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [key, text] of reference) expect(placeholders(cat.get(key) ?? ''), `${locale} ${key}`).toEqual(placeholders(text));
      const cmds = catalog(locale, 'commands');
      expect([...cmds.keys()].sort()).toEqual([...referenceCommands.keys()].sort());
    });

    it(`GIVEN ${locale} WHEN its messages are read THEN none is empty or left untranslated in bulk`, () => {
      const cat = catalog(locale);
      let same = 0;
      for (const [key, text] of cat) {
        expect(text.trim().length, `${locale} ${key}`).toBeGreaterThan(0);
        if (text === reference.get(key) && /[a-z]{4,}/i.test(text)) same += 1;
      }
      // Technical words (BPM, Lint, LTV…) may stay the same; whole catalogs may not.
      expect(same / cat.size).toBeLessThan(0.25);
    });
  }

  for (const locale of LOCALES) {
    it(`GIVEN ${locale} WHEN command names and descriptions are read THEN they meet Discord's rules`, () => {
      for (const [key, text] of catalog(locale, 'commands')) {
        if (key.endsWith('.name')) {
          expect(text, `${locale} ${key}`).toMatch(COMMAND_NAME_REGEX);
          expect(text, `${locale} ${key} must be lowercase`).toBe(text.toLowerCase());
        } else if (key.endsWith('.description')) {
          expect(text.length, `${locale} ${key}`).toBeGreaterThan(0);
          expect(text.length, `${locale} ${key}`).toBeLessThanOrEqual(DISCORD_LIMITS.commandDescription);
        }
      }
    });

    it(`GIVEN ${locale} WHEN form labels and button labels are read THEN they fit Discord's limits`, () => {
      for (const [key, text] of catalog(locale)) {
        if (/^forms\.(?!problems|expected)/.test(key) && !/Hint$/.test(key) && placeholders(text).length === 0) {
          expect(text.length, `${locale} ${key}`).toBeLessThanOrEqual(DISCORD_LIMITS.labelLabel);
        }
        if (key.startsWith('card.buttons.')) expect(text.length, `${locale} ${key}`).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
      }
    });
  }

  it('GIVEN the registered definition WHEN walked THEN every localized name is unique among its siblings', () => {
    type Opt = { name: string; name_localizations?: Record<string, string>; options?: Opt[] };
    const walk = (opts: Opt[] | undefined) => {
      if (!opts) return;
      for (const locale of LOCALES) {
        const names = opts.map((o) => (locale === 'en-US' ? o.name : (o.name_localizations?.[locale] ?? o.name)));
        expect(new Set(names).size, `${locale}: ${names.join(',')}`).toBe(names.length);
      }
      opts.forEach((o) => walk(o.options));
    };
    walk(saltCommand.options as unknown as Opt[]);
  });
});

describe('translation helpers', () => {
  it('GIVEN Discord locales without a catalog WHEN resolved THEN the same language or en-US is used', () => {
    expect(resolveLocale('es-419')).toBe('es-ES');
    expect(resolveLocale('en-GB')).toBe('en-US');
    expect(resolveLocale('pt-BR')).toBe('pt-BR');
    expect(resolveLocale('ko')).toBe('en-US');
    expect(resolveLocale(undefined)).toBe('en-US');
  });

  it('GIVEN a template WHEN formatted THEN known placeholders are filled and unknown ones stay visible', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('GIVEN every message of every locale WHEN translated with all, some or none of its params THEN the text is the template formatted, command references localized', () => {
    for (const locale of [...LOCALES, 'es-419', 'ko']) {
      const loc = resolveLocale(locale);
      for (const [key, en] of catalog('en-US')) {
        const template = catalog(loc).get(key) ?? en;
        const names = placeholders(en);
        const all = Object.fromEntries(names.map((name, i) => [name, i % 2 ? i : `/salt preset apply name:v${i}`]));
        const some = Object.fromEntries(names.slice(1).map((name) => [name, 'v']));
        for (const params of [undefined, all, some]) {
          expect(t(locale, key, params), `${locale} ${key}`).toBe(localizeCommandRefs(format(template, params), loc));
        }
      }
    }
  });

  it('GIVEN a key WHEN translated twice with different params THEN each answer has its own params', () => {
    expect(t('en-US', 'card.track', { bpm: 126, key: 'A minor', style: 'x' })).toContain('126');
    expect(t('en-US', 'card.track', { bpm: 128, key: 'A minor', style: 'x' })).toContain('128');
  });

  it('GIVEN a key WHEN translated THEN the locale text is used, and a missing key falls back to the key', () => {
    expect(t('en-US', 'errors.noDraft')).toContain('/salt new');
    expect(t('en-US', 'no.such.key')).toBe('no.such.key');
  });

  it('GIVEN the raw JSON files WHEN parsed THEN they are valid JSON objects', () => {
    for (const l of LOCALES) {
      for (const f of readdirSync(join(projectRoot(), 'locales', l))) {
        expect(() => JSON.parse(readFileSync(join(projectRoot(), 'locales', l, f), 'utf8')), `${l}/${f}`).not.toThrow();
      }
    }
  });
});

describe('command references in messages', () => {
  it('GIVEN en-US WHEN a message names a command THEN it is left as written', () => {
    expect(localizeCommandRefs('Use `/salt preset apply name:calling`.', 'en-US')).toBe('Use `/salt preset apply name:calling`.');
  });

  for (const locale of LOCALES.filter((l) => l !== 'en-US')) {
    it(`GIVEN ${locale} WHEN a message names a command THEN the subcommand and option names are the ones Discord shows in ${locale}`, () => {
      const apply = commandLocalizations('salt.preset.apply.name')[locale] ?? 'apply';
      const group = commandLocalizations('salt.preset.name')[locale] ?? 'preset';
      const opt = commandLocalizations('salt.preset.apply.nameOption.name')[locale] ?? 'name';
      const out = localizeCommandRefs('Use `/salt preset apply name:calling` now, or /salt unknown.', locale);
      expect(out).toBe(`Use \`/salt ${group} ${apply} ${opt}:calling\` now, or /salt unknown.`);
      const fresh = commandLocalizations('salt.new.name')[locale] ?? 'new';
      expect(t(locale, 'errors.noDraft')).toContain(`/salt ${fresh}`);
    });
  }
});
