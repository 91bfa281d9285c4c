import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { globalRequestsPerSecond } from '../../src/discord/restApi.js';

const valid = { DISCORD_TOKEN: 'x'.repeat(60), DISCORD_APPLICATION_ID: '123456789012345678' };

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('config', () => {
  it('GIVEN the two required settings WHEN parsed THEN defaults fill the rest (gateway, embedded store, 30 days)', () => {
    const c = parseConfig(valid);
    expect(c.SALT_TRANSPORT).toBe('gateway');
    expect(c.SALT_DATA_FILE).toBe('./data/saltbot.json');
    expect(c.SALT_DRAFT_TTL_DAYS).toBe(30);
    expect(c.REDIS_URL).toBeUndefined();
  });

  it('GIVEN an empty environment WHEN parsed THEN every missing setting is listed at once', () => {
    expect(problems({})).toEqual(['DISCORD_TOKEN: is required', 'DISCORD_APPLICATION_ID: is required']);
  });

  it('GIVEN a bad port AND missing token WHEN parsed THEN both problems are listed together', () => {
    const p = problems({ PORT: 'eighty', SALT_TRANSPORT: 'http' });
    expect(p.some((l) => l.startsWith('PORT:'))).toBe(true);
    expect(p).toContain('DISCORD_TOKEN: is required');
    expect(p).toContain('DISCORD_PUBLIC_KEY: is required when SALT_TRANSPORT=http');
  });

  it('GIVEN empty strings WHEN parsed THEN they count as unset', () => {
    expect(parseConfig({ ...valid, REDIS_URL: '  ', DISCORD_GUILD_ID: '' }).REDIS_URL).toBeUndefined();
  });

  it('GIVEN a malformed redis url, application id and public key WHEN parsed THEN each is named', () => {
    const p = problems({ ...valid, REDIS_URL: 'http://x', DISCORD_APPLICATION_ID: 'abc', DISCORD_PUBLIC_KEY: 'zz' });
    expect(p.map((l) => l.split(':')[0]).sort()).toEqual(['DISCORD_APPLICATION_ID', 'DISCORD_PUBLIC_KEY', 'REDIS_URL']);
  });
});

describe('config messages', () => {
  it('GIVEN non-numeric numbers WHEN parsed THEN each problem is in plain words', () => {
    const p = problems({ ...valid, PORT: 'eighty', SALT_DRAFT_TTL_DAYS: 'forever', SALT_EDIT_RATE_PER_MINUTE: '-1' });
    expect(p).toContain('PORT: must be a port number (0-65535)');
    expect(p).toContain('SALT_DRAFT_TTL_DAYS: must be a number of days');
    expect(p).toContain('SALT_EDIT_RATE_PER_MINUTE: must be 0 or more');
  });
});

describe('the global rate limit share (SALT_DISCORD_REQUESTS_PER_SECOND)', () => {
  it('GIVEN no setting WHEN one process, or one of 4 gateway shards THEN 45 per second, or 11.25 each; a configured rate wins', () => {
    expect(parseConfig(valid).SALT_DISCORD_REQUESTS_PER_SECOND).toBeUndefined();
    expect(globalRequestsPerSecond(undefined)).toBe(45);
    expect(globalRequestsPerSecond(undefined, 4)).toBe(11.25);
    const c = parseConfig({ ...valid, SALT_DISCORD_REQUESTS_PER_SECOND: '22.5' });
    expect(globalRequestsPerSecond(c.SALT_DISCORD_REQUESTS_PER_SECOND, 4)).toBe(22.5);
  });

  it('GIVEN 0, 60 or words WHEN parsed THEN each is refused in plain words', () => {
    expect(problems({ ...valid, SALT_DISCORD_REQUESTS_PER_SECOND: '0' })).toEqual(['SALT_DISCORD_REQUESTS_PER_SECOND: must be above 0']);
    expect(problems({ ...valid, SALT_DISCORD_REQUESTS_PER_SECOND: '60' })).toEqual(["SALT_DISCORD_REQUESTS_PER_SECOND: must be at most 50 (Discord's global limit for the whole bot)"]);
    expect(problems({ ...valid, SALT_DISCORD_REQUESTS_PER_SECOND: 'fast' })).toEqual(['SALT_DISCORD_REQUESTS_PER_SECOND: must be a number of requests per second']);
  });
});
