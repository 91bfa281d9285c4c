/**
 * `main` in-process: the unexpected-error path, which the real binary cannot be made to take.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/domain/render.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/domain/render.js')>()),
  renderPrompt: () => {
    throw new TypeError('renderer exploded\nsecond line');
  },
}));

const { main } = await import('../../src/cli/main.js');

function capture() {
  let text = '';
  return { write: (chunk: string) => (text += chunk), get text() { return text; } };
}

describe('main', () => {
  it('GIVEN a command that throws unexpectedly WHEN run THEN exit 1 with one line on stderr and no stack', async () => {
    const stdout = capture();
    const stderr = capture();

    const code = await main(['render', '--preset', 'calling'], { stdout, stderr, env: {} });

    expect(code).toBe(1);
    expect(stdout.text).toBe('');
    expect(stderr.text.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.text).toContain('saltbot: unexpected error: renderer exploded');
    expect(stderr.text).not.toContain(' at ');
  });

  it('GIVEN SALTBOT_DEBUG=1 WHEN a command throws unexpectedly THEN the stack is printed', async () => {
    const stdout = capture();
    const stderr = capture();

    const code = await main(['render', '--preset', 'calling'], { stdout, stderr, env: { SALTBOT_DEBUG: '1' } });

    expect(code).toBe(1);
    expect(stderr.text).toMatch(/\n\s+at /);
  });

  it('GIVEN an async stdin WHEN rendering "-" with a bad spec THEN problems go to stderr and exit is 2', async () => {
    const stdout = capture();
    const stderr = capture();
    async function* stdin() {
      yield '{"version": 1, "track": {"bpm": 999}}';
    }

    const code = await main(['render', '-'], { stdout, stderr, stdin: stdin(), env: {} });

    expect(code).toBe(2);
    expect(stdout.text).toBe('');
    expect(stderr.text).toContain('saltbot: <stdin>: track.bpm: must be at most 200');
  });
});
