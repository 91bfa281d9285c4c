/**
 * custom_id codec. Every component and modal saltbot sends carries its state in its custom_id,
 * never in memory, so buttons keep working across restarts and processes:
 *
 *   s1:<kind>:<arg>:<arg>…      (≤ 100 characters)
 *
 * `s1` is the format version. A custom_id from another version or malformed decodes to
 * `{ kind: 'outdated' }`, which the router answers with a friendly note and a fresh card.
 */
import { DISCORD_LIMITS } from './limits.js';

export const CUSTOM_ID_VERSION = 's1';

/** Everything a component or modal can mean. */
export type Action =
  | { kind: 'card'; step: CardStep }
  | { kind: 'form'; form: FormId; base: number; layer?: string }
  | { kind: 'next'; form: FormId; layer?: string }
  | { kind: 'layerpick'; op: 'edit' | 'remove' }
  | { kind: 'confirm'; what: 'replace' | 'reset' | 'publish' | 'remove'; arg?: string }
  | { kind: 'cancel' }
  | { kind: 'vote'; op: 'pick' | 'close'; voteId: string }
  | { kind: 'outdated'; raw: string };

export const CARD_STEPS = ['track', 'details', 'layeradd', 'layeredit', 'layerremove', 'sidechain', 'timing', 'preview', 'lint', 'vote', 'publish', 'undo', 'history', 'refresh', 'listen', 'patch'] as const;
export type CardStep = (typeof CARD_STEPS)[number];

export const FORMS = ['track', 'details', 'layer1', 'layer2', 'layer3', 'sidechain', 'timing1', 'timing2', 'import'] as const;
export type FormId = (typeof FORMS)[number];

const SLUG = /^[a-z0-9][a-z0-9_-]{0,47}$/;
const ID = /^[A-Za-z0-9_-]{1,40}$/;
const ARG = /^[A-Za-z0-9_.~-]{1,60}$/;

function checked(id: string): string {
  if (id.length > DISCORD_LIMITS.customId) throw new Error(`custom_id too long (${id.length}): ${id.slice(0, 40)}…`);
  return id;
}

export function encodeAction(action: Exclude<Action, { kind: 'outdated' }>): string {
  const v = CUSTOM_ID_VERSION;
  switch (action.kind) {
    case 'card':
      return checked(`${v}:card:${action.step}`);
    case 'form':
      return checked(`${v}:form:${action.form}:${action.base}${action.layer ? `:${action.layer}` : ''}`);
    case 'next':
      return checked(`${v}:next:${action.form}${action.layer ? `:${action.layer}` : ''}`);
    case 'layerpick':
      return checked(`${v}:pick:${action.op}`);
    case 'confirm':
      return checked(`${v}:ok:${action.what}${action.arg ? `:${action.arg}` : ''}`);
    case 'cancel':
      return checked(`${v}:cancel`);
    case 'vote':
      return checked(`${v}:vote:${action.op}:${action.voteId}`);
  }
}

export function decodeAction(raw: string): Action {
  const outdated = { kind: 'outdated', raw } as const;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > DISCORD_LIMITS.customId) return outdated;
  const parts = raw.split(':');
  if (parts[0] !== CUSTOM_ID_VERSION) return outdated;
  const [, kind, a, b, c, ...rest] = parts;
  if (rest.length > 0) return outdated;
  switch (kind) {
    case 'card':
      return (CARD_STEPS as readonly string[]).includes(a ?? '') && b === undefined ? { kind: 'card', step: a as CardStep } : outdated;
    case 'form': {
      if (!(FORMS as readonly string[]).includes(a ?? '')) return outdated;
      if (!b || !/^\d{1,9}$/.test(b)) return outdated;
      if (c !== undefined && !SLUG.test(c)) return outdated;
      return { kind: 'form', form: a as FormId, base: Number(b), ...(c !== undefined ? { layer: c } : {}) };
    }
    case 'next': {
      if (!(FORMS as readonly string[]).includes(a ?? '') || c !== undefined) return outdated;
      if (b !== undefined && !SLUG.test(b)) return outdated;
      return { kind: 'next', form: a as FormId, ...(b !== undefined ? { layer: b } : {}) };
    }
    case 'pick':
      return (a === 'edit' || a === 'remove') && b === undefined ? { kind: 'layerpick', op: a } : outdated;
    case 'ok': {
      if (a !== 'replace' && a !== 'reset' && a !== 'publish' && a !== 'remove') return outdated;
      if (c !== undefined || (b !== undefined && !ARG.test(b))) return outdated;
      return { kind: 'confirm', what: a, ...(b !== undefined ? { arg: b } : {}) };
    }
    case 'cancel':
      return a === undefined ? { kind: 'cancel' } : outdated;
    case 'vote':
      return (a === 'pick' || a === 'close') && b !== undefined && ID.test(b) && c === undefined ? { kind: 'vote', op: a, voteId: b } : outdated;
    default:
      return outdated;
  }
}
