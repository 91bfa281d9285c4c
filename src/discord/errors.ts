/**
 * The one error path for expected failures: a UserError carries a locale key and parameters, and
 * the router turns it into an ephemeral, localized reply. Anything else is unexpected: the user
 * gets a generic message, the log gets the details.
 */
import type { MessageKey, Params } from '../i18n/index.js';

export class UserError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Params = {},
    /** Extra lines (already localized), e.g. one per invalid field. */
    readonly details: readonly string[] = [],
  ) {
    super(key);
    this.name = 'UserError';
  }
}
