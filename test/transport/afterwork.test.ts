/**
 * A reply's after-work (a card refresh may wait its turn for seconds under load) must not keep the
 * request alive: not its socket, response, body or parsed payload. Checked with WeakRefs and a
 * forced collection while the after-work is still pending.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { APIInteraction } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '../../src/discord/router.js';
import { createLogger } from '../../src/log.js';
import { createInteractionsHandler } from '../../src/transport/http.js';
import { createInFlight } from '../../src/transport/inflight.js';
import { interactions, startStandin, type Standin } from '../standin/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('after-work holds nothing of the request', () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startStandin();
  });
  afterAll(async () => {
    await standin.close();
  });

  it('GIVEN 20 answered interactions whose after-work waits WHEN memory is collected THEN their requests, responses, payloads and what the after-work closed over are gone, the after-work still counts as in flight and finishes when released', async () => {
    const inflight = createInFlight();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const done: string[] = [];
    const payloads: WeakRef<object>[] = [];
    // As a save's after-work does: it starts a card refresh that waits its turn, made by a function
    // of its own (so the promise it hands back closes over nothing of the save).
    const refreshWhenItsTurnComes = (id: string): Promise<void> => gate.then(() => void done.push(id));
    const router: Router = {
      async route(interaction: APIInteraction) {
        payloads.push(new WeakRef(interaction));
        const id = interaction.id;
        // What the save's after-work closes over (its outcome: records, history entries).
        const outcome = { record: { version: 2, spec: { style: 'x'.repeat(10_000) } }, history: [{ version: 1 }] };
        payloads.push(new WeakRef(outcome));
        return {
          response: { type: 4, data: { content: 'saved', allowed_mentions: { parse: [] } } },
          after: () => {
            void outcome.record.version;
            return refreshWhenItsTurnComes(id);
          },
        };
      },
    };
    const handler = createInteractionsHandler({ publicKeyHex: standin.publicKeyHex, router, log: createLogger({ level: 'silent' }), inflight });
    const held: WeakRef<IncomingMessage | ServerResponse>[] = [];
    const server = createServer((req, res) => {
      held.push(new WeakRef(req), new WeakRef(res));
      handler(req, res);
    });
    server.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/interactions`;
    try {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const ix = interactions.modalSubmit({ customId: 's1:form:track:3', components: { bpm: String(120 + i) } });
        ids.push(ix.id);
        const result = await standin.postInteractionHttp(url, ix);
        expect(result.status).toBe(200);
      }
      await new Promise((resolve) => setTimeout(resolve, 50)); // sockets closed (keep-alive 1 ms)
      await collect();
      expect(inflight.size).toBe(20);
      expect(done).toEqual([]);
      expect(held.filter((r) => r.deref() !== undefined)).toHaveLength(0);
      expect(payloads.filter((r) => r.deref() !== undefined)).toHaveLength(0);
      release();
      expect(await inflight.drain(2_000)).toBe(true);
      expect(done.sort()).toEqual(ids.sort());
    } finally {
      server.close();
    }
  });
});
