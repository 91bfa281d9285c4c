import type { REST } from '@discordjs/rest';
import { describe, expect, it } from 'vitest';
import { createDiscordApi } from '../../src/discord/restApi.js';

/** A REST stand-in that records which instance got which route (no network). */
function recordingRest(name: string, calls: string[]): REST {
  const record = (method: string) => async (route: string) => {
    calls.push(`${name} ${method} ${route.replace(/\/[A-Za-z0-9_.-]{20,}/g, '/:token')}`);
    return { id: '1400000000000000001', channel_id: '1300000000000000200' };
  };
  return { post: record('POST'), patch: record('PATCH'), get: record('GET'), delete: record('DELETE') } as unknown as REST;
}

describe('Discord API routes over two REST instances', () => {
  it('GIVEN a REST for the bot and one for interaction routes WHEN every call is made THEN channel messages use the bot’s, callbacks, follow-ups and @original the interaction one', async () => {
    const calls: string[] = [];
    const api = createDiscordApi(recordingRest('bot', calls), '1300000000000000001', recordingRest('interactions', calls));
    const token = 'aW50ZXJhY3Rpb246MTQwMDAwMDAwMDAwMDAwMDAwMTp0b2tlbg';
    await api.createMessage('1300000000000000200', { content: 'card' });
    await api.editMessage('1300000000000000200', '1400000000000000001', { content: 'card' });
    await api.followUp(token, { content: 'follow-up' });
    await api.editOriginal(token, { content: 'edit' });
    await api.getOriginal(token);
    await api.deleteOriginal(token);
    await api.postCallback({ id: '1400000000000000009', token } as never, { response: { type: 4, data: { content: 'x' } } } as never);
    expect(calls).toEqual([
      'bot POST /channels/1300000000000000200/messages',
      'bot PATCH /channels/1300000000000000200/messages/1400000000000000001',
      'interactions POST /webhooks/1300000000000000001/:token',
      'interactions PATCH /webhooks/1300000000000000001/:token/messages/%40original',
      'interactions GET /webhooks/1300000000000000001/:token/messages/%40original',
      'interactions DELETE /webhooks/1300000000000000001/:token/messages/%40original',
      'interactions POST /interactions/1400000000000000009/:token/callback',
    ]);
  });

  it('GIVEN one REST only WHEN interaction routes are called THEN they use it', async () => {
    const calls: string[] = [];
    const api = createDiscordApi(recordingRest('only', calls), '1300000000000000001');
    await api.followUp('aW50ZXJhY3Rpb246MTQwMDAwMDAwMDAwMDAwMDAwMTp0b2tlbg', { content: 'x' });
    expect(calls).toEqual(['only POST /webhooks/1300000000000000001/:token']);
  });
});
