/**
 * Summarises a V8 .cpuprofile (from `BENCH_CPU_PROF=1 npm run bench` or `node --cpu-prof`):
 * self time by function and by file/package, top N.
 *
 *   npx tsx bench/profile.ts <file>.cpuprofile [N] [fromSeconds toSeconds]
 */
import { readFileSync } from 'node:fs';

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
