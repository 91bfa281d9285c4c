/**
 * The store's public types: what the bot's router codes against.
 */
import type { Spec } from '../domain/spec.js';

export interface Actor {
  id: string;
  name: string;
}

/** Where a draft lives: one draft per channel of a server. */
export interface Scope {
  guildId: string;
  channelId: string;
}

export interface Contribution {
  name: string;
  /** What this member changed, e.g. 'track', 'layer:supersaw_core', 'sidechain'. */
  parts: string[];
}

export interface DraftRecord {
  spec: Spec;
  /** 1 on create; +1 on every update, undo and replace. */
  version: number;
  createdBy: Actor;
  createdAt: number;
  updatedAt: number;
  /** Who contributed what, first come first listed; at most MAX_CONTRIBUTORS members. */
  contributors: Record<string, Contribution>;
  /** True once more members contributed than `contributors` keeps (the card says "and others"). */
  contributorsMore?: boolean;
  /** The message showing the draft card, so the bot can edit it. */
  cardMessageId?: string;
}

export interface HistoryEntry {
  version: number;
  at: number;
  actor: Actor;
  /** What happened, e.g. 'create', 'track', 'layer add pluck', 'undo'. */
  summary: string;
  spec: Spec;
}

export interface SavedPreset {
  name: string;
  title: string;
  description: string;
  spec: Spec;
  savedBy: Actor;
  savedAt: number;
}

export interface PresetInput {
  name: string;
  title: string;
  description: string;
  spec: Spec;
  savedBy: Actor;
}

export interface VoteClosing {
  at: number;
  by: Actor;
  /** The option with most ballots (ties go to the option listed first); null when nobody voted. */
  winner: string | null;
  tally: Record<string, number>;
}

export interface VoteRecord {
  id: string;
  guildId: string;
  channelId: string;
  messageId?: string;
  /** Preset names. */
  options: string[];
  /** userId → option. */
  ballots: Record<string, string>;
  createdBy: Actor;
  createdAt: number;
  closesAt: number;
  closed?: VoteClosing;
}

/** A vote without its ballots: what the vote's own key holds (a small value, whatever the number of ballots). */
export type VoteInfo = Omit<VoteRecord, 'ballots'>;

/**
 * What `votes.cast` returns: the vote without its ballots, with the live count per option (every
 * option, 0 when nobody picked it) and the number of ballots — read from a tally kept with the
 * ballots, so a pick costs the same at 5 ballots or 5,000.
 */
export type LiveVote = VoteInfo & { tally: Record<string, number>; ballotCount: number };

/** What `votes.close` returns: the closed record, and whether it was already closed before this call. */
export type VoteCloseResult = VoteRecord & { closed: VoteClosing; alreadyClosed: boolean };

export interface UpdateOptions {
  /** Parts this change touched; merged into `contributors[actor.id].parts`. */
  parts?: string[];
}

/** What an update's mutate function may read besides the draft, from the same atomic snapshot. */
export interface MutateContext {
  /**
   * The draft's history entries with `version >= sinceVersion` (all kept entries when omitted), newest
   * first (the first is `current`'s version), consistent with `current`. Read only when called, and
   * only that many entries are read and validated: an up-to-date form never touches the history.
   */
  history(sinceVersion?: number): Promise<readonly HistoryEntry[]>;
}
export type Mutate = (current: DraftRecord, context: MutateContext) => DraftRecord | Promise<DraftRecord>;

export interface DraftStore {
  get(scope: Scope): Promise<DraftRecord | undefined>;
  /** Fails with DraftExistsError when a draft exists, unless `replace` (which continues the version numbering and history, so it can be undone). */
  create(scope: Scope, spec: Spec, actor: Actor, opts?: { replace?: boolean; parts?: string[] }): Promise<DraftRecord>;
  /**
   * Atomic read-modify-write. `mutate` gets a private copy of the current record and may be re-run
   * against a fresher record when another writer got there first; it may throw (nothing is saved).
   * Bumps the version, appends a history entry, refreshes the TTL. DraftMissingError when none.
   */
  update(scope: Scope, actor: Actor, summary: string, mutate: Mutate, opts?: UpdateOptions): Promise<{ record: DraftRecord; previous: DraftRecord }>;
  /** Remembers the card message; does not bump the version. DraftMissingError when none. */
  setCardMessage(scope: Scope, messageId: string): Promise<void>;
  /** Deletes the draft and its history. DraftMissingError when none. */
  delete(scope: Scope, actor: Actor): Promise<void>;
  /** Newest first. */
  history(scope: Scope, limit?: number): Promise<HistoryEntry[]>;
  /** Restores the previous version as a new version (undo is itself undoable). NothingToUndoError / DraftMissingError. */
  undo(scope: Scope, actor: Actor): Promise<DraftRecord>;
}

export interface PresetStore {
  /** Sorted by name. */
  list(guildId: string): Promise<SavedPreset[]>;
  get(guildId: string, name: string): Promise<SavedPreset | undefined>;
  /** PresetExistsError unless `overwrite`; PresetLimitError when the server is full. */
  save(guildId: string, preset: PresetInput, opts?: { overwrite?: boolean }): Promise<SavedPreset>;
  delete(guildId: string, name: string): Promise<boolean>;
}

export interface VoteStore {
  /** VoteExistsError when the id is taken. */
  create(vote: VoteRecord): Promise<void>;
  get(voteId: string): Promise<VoteRecord | undefined>;
  /** The vote without its ballots (one small read: no ballot is transferred). */
  info(voteId: string): Promise<VoteInfo | undefined>;
  /**
   * Atomic; one ballot per member, a second cast changes it (the same pick twice counts once).
   * Returns the live tally, not the ballots. VoteMissingError / VoteClosedError / VoteOptionError.
   */
  cast(voteId: string, userId: string, option: string): Promise<LiveVote>;
  /** Closes once; a second close returns the already-closed record with `alreadyClosed: true`. */
  close(voteId: string, by: Actor): Promise<VoteCloseResult>;
  /** Open votes, soonest deadline first (for re-arming timers after a restart). */
  listOpen(): Promise<VoteRecord[]>;
  /** Remembers the vote's message. */
  setMessage(voteId: string, messageId: string): Promise<void>;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface MetaStore {
  get(key: string): Promise<JsonValue | undefined>;
  set(key: string, value: JsonValue): Promise<void>;
}

export interface StoreStats {
  /** Compare-and-set conflicts that made an atomic update re-read and retry (Redis only). */
  casRetries: number;
  /** Store operations started. */
  ops: number;
  /** Operations that failed because the backend was unavailable, busy or corrupt. */
  errors: number;
}

export type StoreKind = 'redis' | 'file' | 'memory';

export interface Store {
  readonly kind: StoreKind;
  readonly drafts: DraftStore;
  readonly presets: PresetStore;
  readonly votes: VoteStore;
  readonly kv: MetaStore;
  /** One line for the start-up log: where drafts live (and, for the file store, that one process only may use it). */
  describe(): string;
  /** Round trip to the backend, in milliseconds; StoreUnavailableError when down. */
  ping(): Promise<number>;
  stats(): StoreStats;
  close(): Promise<void>;
  /** Tests and diagnostics only: writes `value` under the full key, bypassing validation. */
  readonly debug: { putRaw(fullKey: string, value: unknown): Promise<void>; keys: StoreKeys };
}

export interface StoreKeys {
  draft(scope: Scope): string;
  history(scope: Scope): string;
  presets(guildId: string): string;
  vote(voteId: string): string;
  ballots(voteId: string): string;
  ballotsRev(voteId: string): string;
  tally(voteId: string): string;
  openVotes(): string;
  meta(key: string): string;
}

export interface StoreConfig {
  /** redis://… — use Redis (shared by any number of bot processes). */
  redisUrl?: string;
  /** The embedded file store's path (default ./data/saltbot.json); one process only. */
  filePath?: string;
  /** Keep everything in memory (tests). */
  memory?: boolean;
  /** Key prefix (default 'saltbot'). */
  namespace?: string;
  /** Idle drafts expire after this long (default 30 days); refreshed on every write. */
  draftTtlMs?: number;
  /** History entries kept per draft (default 25, at least 20). */
  historyLimit?: number;
  /** Redis connection tuning; see REDIS_DEFAULTS in redis.ts. */
  redis?: Partial<RedisTuning>;
  /** Where connection state changes are reported (default console). */
  logger?: StoreLogger;
}

export interface RedisTuning {
  /** Give up a single connection attempt after this long. */
  connectTimeoutMs: number;
  /** Reject a command that got no reply after this long. */
  commandTimeoutMs: number;
  /** createStore fails with StoreUnavailableError when Redis is not ready after this long. */
  startupTimeoutMs: number;
  /** Reconnect back-off grows to this and stays there; the client never stops reconnecting. */
  reconnectMaxDelayMs: number;
  /** Compare-and-set attempts before StoreBusyError. */
  casMaxAttempts: number;
  /** Keys whose last value this process keeps to skip reads (the oldest go first; 0 keeps none). */
  knownKeys: number;
}

export interface StoreLogger {
  info(message: string): void;
  warn(message: string): void;
}
