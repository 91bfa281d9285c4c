/**
 * Building localized command definitions from locales/<locale>/commands.json:
 * `named('salt.new')` → name, description and their per-locale localizations.
 */
import { commandLocalizations, commandText } from '../i18n/index.js';

export function named(path: string): {
  name: string;
  description: string;
  name_localizations: Record<string, string>;
  description_localizations: Record<string, string>;
} {
  return {
    name: commandText(`${path}.name`),
    description: commandText(`${path}.description`),
    name_localizations: commandLocalizations(`${path}.name`),
    description_localizations: commandLocalizations(`${path}.description`),
  };
}
