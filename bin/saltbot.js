#!/usr/bin/env node
// The saltbot CLI. The code lives in TypeScript (src/cli/main.ts) and runs compiled from dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);

if (!existsSync(entry)) {
  process.stderr.write('saltbot: not built yet: run `npm run build` (or `npm ci`, which builds via prepare) in the saltbot folder\n');
  process.exit(1);
}

// A closed pipe (saltbot render ... | head -1) is not an error.
process.stdout.on('error', (error) => {
  if (error && error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
} catch (error) {
  const debug = process.env.SALTBOT_DEBUG === '1';
  const message = error instanceof Error ? (debug ? error.stack : error.message.split('\n')[0]) : String(error);
  process.stderr.write(`saltbot: unexpected error: ${message}\n`);
  process.exitCode = 1;
}
