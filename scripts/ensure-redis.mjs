#!/usr/bin/env node
// Runs before `npm test`: the store contract suite and the end-to-end tests need a real
// redis-server binary (they start their own on a free loopback port). Installs it with apt-get when
// missing and running as root (as on CI); otherwise says exactly what to do and fails.
import { execFileSync, spawnSync } from 'node:child_process';

const has = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

if (!has()) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (root && apt) {
    console.log('redis-server is missing: installing it with apt-get (needed by the store and end-to-end tests)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env });
  }
  if (!has()) {
    console.error('The tests need redis-server on the PATH. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) and run npm test again.');
    process.exit(1);
  }
}
