/**
 * The lower-bound stub for `npm run bench:bound` (not the bot): an HTTP interactions endpoint that
 * does only what any implementation of saltbot must do per interaction, and nothing else:
 * Ed25519 check (on libuv's thread pool, as the bot), JSON parse, and by interaction type:
 *   PING → PONG;
 *   modal submit → (MODE=cas) one compare-and-set round trip writing the new record and its history
 *     entry (same sizes as the bot's), then a short private "saved" reply with a Next button;
 *   component (vote) → (MODE=cas) one HSET, a short private reply;
 *   command (show/publish) → (MODE=cas) one GET, the draft card (the bot's own card builder).
 * No validation, permissions, rate limit, metrics, logs, card refresh or follow-ups: whatever the
 * bot does beyond this is the price of those. MODE=reply skips Redis altogether.
 */
import { verify, createPublicKey } from 'node:crypto';
import { createServer } from 'node:http';
import { createClient } from '@redis/client';
import { cardMessage } from '../src/discord/card.js';
import { getBuiltinPreset } from '../src/domain/presets.js';
import type { DraftRecord } from '../src/store/types.js';

const mode = process.env.MODE === 'reply' ? 'reply' : 'cas';
const key = createPublicKey({
  key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(process.env.PUBLIC_KEY ?? '', 'hex')]),
  format: 'der',
  type: 'spki',
});
const redis = mode === 'cas' ? createClient({ url: process.env.REDIS_URL! }) : undefined;
await redis?.connect();
/** Compare the version, write record and history entry, bump the version: one round trip. */
const SCRIPT = `local v = tonumber(redis.call('GET', KEYS[3]) or '0')
if v ~= tonumber(ARGV[1]) then return -1 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('LPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], 0, 24)
return redis.call('INCR', KEYS[3])`;
const sha = await redis?.scriptLoad(SCRIPT);
const spec = getBuiltinPreset('calling')!.spec;
const actor = { id: '1300000000001000000', name: 'Member' };
const drafts = new Map<string, DraftRecord>();
const recordOf = (channel: string): DraftRecord =>
  drafts.get(channel) ?? { spec, version: 0, createdBy: actor, createdAt: Date.now(), updatedAt: Date.now(), contributors: { [actor.id]: { name: actor.name, parts: ['track'] } } };

interface Ix {
  type: number;
  channel?: { id: string };
  channel_id?: string;
  member?: { user?: { id?: string } };
  data?: { values?: string[] };
}

async function answer(ix: Ix): Promise<unknown> {
  if (ix.type === 1) return { type: 1 };
  const channel = ix.channel?.id ?? ix.channel_id ?? '0';
  const ephemeral = (content: string, components?: unknown[]) => ({ type: 4, data: { content, flags: 64, allowed_mentions: { parse: [] }, ...(components ? { components } : {}) } });
  if (ix.type === 5) {
    const current = recordOf(channel);
    const record: DraftRecord = { ...current, spec: { ...current.spec, track: { ...current.spec.track, bpm: 120 + (current.version % 10) } }, version: current.version + 1, updatedAt: Date.now() };
    if (redis && sha) {
      const entry = { version: record.version, at: record.updatedAt, actor, summary: 'track', spec: record.spec };
      const args = [String(current.version), JSON.stringify({ value: record, expires: null }), JSON.stringify({ value: entry, expires: null })];
      const r = await redis.evalSha(sha, { keys: [`d:${channel}`, `h:${channel}`, `v:${channel}`], arguments: args });
      if (r === -1) drafts.delete(channel);
    }
    drafts.set(channel, record);
    return ephemeral(`Saved **Track** (version ${record.version}): ${record.spec.track.bpm} BPM, ${record.spec.track.key}. The card in the channel shows it.`, [
      { type: 1, components: [{ type: 2, style: 1, label: 'Next: Sidechain', custom_id: `s1:next:sidechain` }] },
    ]);
  }
  if (ix.type === 3) {
    await redis?.hSet(`vote:${channel}`, ix.member?.user?.id ?? '0', ix.data?.values?.[0] ?? '');
    return ephemeral('Your vote is counted: Calling. You can change it until the vote closes.');
  }
  await redis?.get(`d:${channel}`);
  return { type: 4, data: cardMessage(recordOf(channel), 'en-US') };
}

createServer((req, res) => {
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const timestamp = String(req.headers['x-signature-timestamp'] ?? '');
    const signature = Buffer.from(String(req.headers['x-signature-ed25519'] ?? ''), 'hex');
    verify(null, Buffer.concat([Buffer.from(timestamp), body]), key, signature, (error, valid) => {
      if (error || !valid) {
        res.statusCode = 401;
        res.end();
        return;
      }
      answer(JSON.parse(body.toString()) as Ix).then(
        (reply) => {
          const out = JSON.stringify(reply);
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
          res.end(out);
        },
        () => {
          res.statusCode = 500;
          res.end();
        },
      );
    });
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
