/**
 * Summarises a V8 .cpuprofile (from `BENCH_CPU_PROF=1 npm run bench` or `node --cpu-prof`):
 * self time by function and by file/package, top N. With `--alloc`, a sampling heap profile
 * (`BENCH_ALLOC_PROF=<file> npm run bench`): bytes allocated by function (self, and with callees).
 *
 *   npx tsx bench/profile.ts <file>.cpuprofile [N] [fromSeconds toSeconds]
 *   npx tsx bench/profile.ts --alloc <file> [N]
 */
import { readFileSync } from 'node:fs';

interface AllocNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: AllocNode[] }
if (process.argv[2] === '--alloc') {
  const { head } = JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as { head: AllocNode };
  const n = Number(process.argv[4] ?? 30);
  const name = (f: AllocNode['callFrame']) => `${f.functionName || '(anonymous)'} ${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url)?.[1] ?? /\/((?:dist\/)?(?:src|commands|bench)\/.*)$/.exec(f.url)?.[1] ?? (f.url || '(native)')}:${f.lineNumber + 1}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  const walk = (node: AllocNode, onPath: Set<string>): number => {
    const key = name(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
    const first = !onPath.has(key);
    if (first) onPath.add(key);
    let sum = node.selfSize;
    for (const child of node.children) sum += walk(child, onPath);
    if (first) {
      onPath.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
    }
    return sum;
  };
  walk(head, new Set());
  for (const [title, m] of [['allocated by function (self)', self], ['allocated by function, callees included', inclusive]] as const) {
    console.log(`\n${title} (total ${(total / 1e6).toFixed(1)} MB sampled)`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${((v / total) * 100).toFixed(1).padStart(5)} %  ${(v / 1e6).toFixed(1).padStart(7)} MB  ${k}`);
  }
  process.exit(0);
}

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/profile.ts <file.cpuprofile> [N]');
const top = Number(process.argv[3] ?? 25);
/** Optional window in seconds since the profile started: `… 25 20 26` summarises seconds 20-26 only. */
const fromS = process.argv[4] === undefined ? -Infinity : Number(process.argv[4]);
const toS = process.argv[5] === undefined ? Infinity : Number(process.argv[5]);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
let clock = 0;
profile.samples.forEach((id, i) => {
  clock += profile.timeDeltas[i] ?? 0;
  if (clock / 1e6 < fromS || clock / 1e6 >= toS) return;
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (url: string): string => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const d = /\/(dist\/.*|src\/.*|commands\/.*)$/.exec(url);
  return d ? d[1]! : url || '(native)';
};
const fns = new Map<string, number>();
const files = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const f = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  fns.set(f, (fns.get(f) ?? 0) + us);
  const w = where(n.callFrame.url).replace(/^(dist\/)?(src|commands)\/([^/]+).*$/, '$2/$3');
  files.set(w, (files.get(w) ?? 0) + us);
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (total ${(total / 1000).toFixed(0)} ms)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((v / total) * 100).toFixed(1).padStart(5)} %  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
show('self time by function', fns);
show('self time by package / file', files);
