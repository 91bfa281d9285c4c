/**
 * One writer process for the cross-process test:
 *   node --import tsx test/store/redis-child.ts <redisUrl> <guild> <channel> <writerId> <count> <startAtMs>
 * Connects, waits until startAtMs (so all writers overlap), makes <count> updates, each adding its
 * own part to contributors[writerId], and prints its stats as JSON.
 */
import { createStore } from '../../src/store/index.js';

const [url, guildId, channelId, writer, countText, startAtText] = process.argv.slice(2);
if (!url || !guildId || !channelId || !writer || !countText || !startAtText) throw new Error('usage: redis-child <url> <guild> <channel> <writer> <count> <startAt>');
const count = Number(countText);
const store = await createStore({ redisUrl: url, logger: { info: () => {}, warn: () => {} } });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())));
const started = performance.now();
const actor = { id: writer, name: writer };
for (let i = 0; i < count; i++) {
  await store.drafts.update({ guildId, channelId }, actor, `${writer} #${i}`, (d) => d, { parts: [`${writer}:${i}`] });
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ writer, ms, ...store.stats() })}\n`);
await store.close();
