/**
 * Store errors. Every class carries a stable `code` the bot maps to a locale key
 * (`store.<code>` or similar); messages are English and meant for logs, not for users.
 */

export type StoreErrorCode =
  | 'store_unavailable'
  | 'store_busy'
  | 'store_corrupt'
  | 'store_invalid_record'
  | 'draft_exists'
  | 'draft_missing'
  | 'nothing_to_undo'
  | 'preset_limit'
  | 'preset_exists'
  | 'vote_exists'
  | 'vote_missing'
  | 'vote_closed'
  | 'vote_option';

export abstract class StoreError extends Error {
  abstract readonly code: StoreErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The backing store cannot be reached (Redis down, timeout, file not writable, file locked by another process). */
export class StoreUnavailableError extends StoreError {
  readonly code = 'store_unavailable' as const;
}

/** An atomic update lost the compare-and-set race too many times in a row. */
export class StoreBusyError extends StoreError {
  readonly code = 'store_busy' as const;
  constructor(
    readonly key: string,
    readonly attempts: number,
  ) {
    super(`gave up updating ${key} after ${attempts} conflicting attempts`);
  }
}

/** A stored value does not have the shape this saltbot writes (corrupt, foreign or from a newer version). */
export class StoreCorruptError extends StoreError {
  readonly code = 'store_corrupt' as const;
  constructor(
    readonly key: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`stored value at ${key} is not valid: ${detail}`, options);
  }
}

/** A value about to be written does not pass validation (a bug in the caller's mutate function). */
export class InvalidRecordError extends StoreError {
  readonly code = 'store_invalid_record' as const;
  constructor(
    readonly key: string,
    readonly detail: string,
  ) {
    super(`refusing to write an invalid value to ${key}: ${detail}`);
  }
}

export class DraftExistsError extends StoreError {
  readonly code = 'draft_exists' as const;
  constructor(readonly version: number) {
    super(`a draft already exists in this channel (version ${version})`);
  }
}

export class DraftMissingError extends StoreError {
  readonly code = 'draft_missing' as const;
  constructor() {
    super('there is no draft in this channel');
  }
}

export class NothingToUndoError extends StoreError {
  readonly code = 'nothing_to_undo' as const;
  constructor() {
    super('there is no earlier version to restore');
  }
}

export class PresetLimitError extends StoreError {
  readonly code = 'preset_limit' as const;
  constructor(readonly limit: number) {
    super(`this server already has ${limit} saved presets (the maximum)`);
  }
}

export class PresetExistsError extends StoreError {
  readonly code = 'preset_exists' as const;
  constructor(readonly presetName: string) {
    super(`a preset named "${presetName}" already exists on this server`);
  }
}

export class VoteExistsError extends StoreError {
  readonly code = 'vote_exists' as const;
  constructor(readonly voteId: string) {
    super(`a vote with id ${voteId} already exists`);
  }
}

export class VoteMissingError extends StoreError {
  readonly code = 'vote_missing' as const;
  constructor(readonly voteId: string) {
    super(`there is no vote with id ${voteId}`);
  }
}

export class VoteClosedError extends StoreError {
  readonly code = 'vote_closed' as const;
  constructor(readonly voteId: string) {
    super(`vote ${voteId} is closed`);
  }
}

export class VoteOptionError extends StoreError {
  readonly code = 'vote_option' as const;
  constructor(
    readonly voteId: string,
    readonly option: string,
  ) {
    super(`"${option}" is not an option of vote ${voteId}`);
  }
}

export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError;
}
