import { describe, expect, it } from 'vitest';
import { createLogger, redactString } from '../../src/log.js';

const TOKEN = 'MTMwMDAwMDAwMDAwMDAwMDAwMQ.Z2F0ZQ.c3RhbmRpbi10b2tlbi1ub3QtYS1yZWFsLXNlY3JldA';

function capture(level: 'debug' | 'info' | 'warn' | 'error' | 'silent' = 'info', pretty = false) {
  const lines: string[] = [];
  const log = createLogger({ level, pretty, secrets: [TOKEN], write: (l) => void lines.push(l), now: () => new Date('2026-01-01T00:00:00Z') });
  return { log, lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('JSON-lines logger', () => {
  it('writes one JSON object per line with time, level, msg and fields; below-threshold levels are dropped', () => {
    const { log, lines, json } = capture('info');
    log.debug({ a: 1 }, 'hidden');
    log.info({ guildId: '1' }, 'hello');
    log.error({ code: 5 }, 'bad');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(json()).toEqual([
      { time: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'hello', guildId: '1' },
      { time: '2026-01-01T00:00:00.000Z', level: 'error', msg: 'bad', code: 5 },
    ]);
  });

  it('silent writes nothing; child loggers add fixed fields', () => {
    const silent = capture('silent');
    silent.log.error({}, 'x');
    expect(silent.lines).toEqual([]);
    const { log, json } = capture('info');
    log.child({ transport: 'http' }).info({ n: 1 }, 'x');
    expect(json()[0]).toMatchObject({ transport: 'http', n: 1 });
  });

  it('redacts secret-looking fields, the configured token anywhere, bot tokens and tokens in URLs', () => {
    const { log, lines } = capture('debug');
    log.warn({ token: 'abc', headers: { authorization: `Bot ${TOKEN}` }, err: `failed with ${TOKEN}` }, `token ${TOKEN}`);
    log.info({ url: 'http://x/api/v10/webhooks/1300000000000000001/aW50ZXJhY3Rpb246abcdefghijklmnopqrstuvwxyz/messages/@original' }, 'x');
    const text = lines.join('');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('aW50ZXJhY3Rpb246');
    expect(text).not.toContain('"abc"');
    expect(text).toContain('[redacted]');
    expect(redactString('Bot aaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbb.cccccccccccccccccccccccccc')).toBe('Bot [redacted]');
  });

  it('drops what members typed at info level and above, keeps it at debug', () => {
    const info = capture('info');
    info.log.info({ content: 'my secret song', values: ['a'], interactionId: '9' }, 'm');
    expect(info.json()[0]).toEqual(expect.objectContaining({ content: '[omitted]', values: '[omitted]', interactionId: '9' }));
    const debug = capture('debug');
    debug.log.debug({ content: 'my song' }, 'm');
    expect(debug.json()[0]).toMatchObject({ content: 'my song' });
  });

  it('serializes errors by name and message (stack only at debug), and never throws on odd values', () => {
    const { log, json } = capture('info');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    log.error({ err: new TypeError('nope'), big: 10n, circular }, 'e');
    const line = json()[0]!;
    expect(line.err).toEqual({ name: 'TypeError', message: 'nope' });
    expect(line.big).toBe('10');
  });

  it('pretty mode writes a short human line', () => {
    const { log, lines } = capture('info', true);
    log.info({ port: 3000 }, 'listening');
    expect(lines[0]).toBe('00:00:00.000 INFO  listening port=3000\n');
  });
});
