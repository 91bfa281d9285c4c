/**
 * The typed message keys: one namespace per file in `locales/en-US/` (except commands.json).
 * Adding a namespace file means adding it here.
 */
import type card from '../../locales/en-US/card.json';
import type common from '../../locales/en-US/common.json';
import type errors from '../../locales/en-US/errors.json';
import type forms from '../../locales/en-US/forms.json';
import type help from '../../locales/en-US/help.json';
import type history from '../../locales/en-US/history.json';
import type io from '../../locales/en-US/io.json';
import type lint from '../../locales/en-US/lint.json';
import type preset from '../../locales/en-US/preset.json';
import type publish from '../../locales/en-US/publish.json';
import type vote from '../../locales/en-US/vote.json';

export interface Catalog {
  card: typeof card;
  common: typeof common;
  errors: typeof errors;
  forms: typeof forms;
  help: typeof help;
  history: typeof history;
  io: typeof io;
  lint: typeof lint;
  preset: typeof preset;
  publish: typeof publish;
  vote: typeof vote;
}

export const NAMESPACES = ['card', 'common', 'errors', 'forms', 'help', 'history', 'io', 'lint', 'preset', 'publish', 'vote'] as const satisfies readonly (keyof Catalog)[];
