/**
 * Where the time went, from a V8 CPU profile of a benchmark run:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/dispatch.ts --parts=a
 *   node bench/lib/dispatch-cpu-profile.ts /tmp/prof/<file>.cpuprofile [--match=src/]
 *
 * Prints the top functions by self time, then by inclusive time (each sample counted once
 * per function on its stack) for the frames whose file matches `--match` (default `src/`),
 * as shares of all samples — idle time included, so the shares of a busy run add up.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface ProfileShares {
  samples: number;
  /** "file:function:line" → share of all samples (0 … 1) */
  self: Map<string, number>;
  inclusive: Map<string, number>;
}

const root = new URL('../../', import.meta.url).href;

function frameKey(node: ProfileNode): string {
  const { url, functionName, lineNumber } = node.callFrame;
  return `${url.replace(root, '')}:${functionName || '(anonymous)'}:${lineNumber + 1}`;
}

/** Self and inclusive shares of every function in a `.cpuprofile`. */
export function summarizeCpuProfile(profile: CpuProfile): ProfileShares {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);

  const total = profile.samples.length;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, count] of hits) {
    const key = frameKey(byId.get(id)!);
    self.set(key, (self.get(key) ?? 0) + count / total);
    // a recursive function counts once per sample
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = frameKey(byId.get(at)!);
      if (seen.has(frame)) continue;
      seen.add(frame);
      inclusive.set(frame, (inclusive.get(frame) ?? 0) + count / total);
    }
  }
  return { samples: total, self, inclusive };
}

function formatTop(shares: Map<string, number>, keep: (key: string) => boolean, count: number) {
  return [...shares]
    .filter(([key]) => keep(key))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, share]) => `${(share * 100).toFixed(1).padStart(5)} %  ${key}`)
    .join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write(
      'usage: node bench/lib/dispatch-cpu-profile.ts <file.cpuprofile> [--match=src/]\n',
    );
    process.exit(2);
  }
  const match = process.argv.find((arg) => arg.startsWith('--match='))?.slice(8) ?? 'src/';
  const shares = summarizeCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  process.stdout.write(
    [
      `${shares.samples} samples`,
      '',
      'self time, top 25:',
      formatTop(shares.self, () => true, 25),
      '',
      `inclusive time, frames matching "${match}", top 40:`,
      formatTop(shares.inclusive, (key) => key.includes(match), 40),
      '',
    ].join('\n'),
  );
}
