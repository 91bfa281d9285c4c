/**
 * Runs once before the suite: compiles the project so tests that run the real binaries
 * (the CLI, the bot process) exercise what `npm ci` builds.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.json`], {
    cwd: root,
    stdio: 'inherit',
  });
}
