import assert from 'node:assert/strict';

/**
 * The rows of an aligned table as the CLI prints it, cut at the header's column starts; every
 * row must start its columns where the header does (a misaligned table fails the test).
 */
export function parseTable(text: string): { header: string[]; rows: string[][] } {
  const [first = '', ...lines] = text.trimEnd().split('\n');
  const starts = [...first.matchAll(/\S+/g)].map((match) => match.index);
  const cut = (line: string) =>
    starts.map((start, i) => line.slice(start, starts[i + 1] ?? line.length).trim());
  for (const line of lines) {
    for (const start of starts.slice(1)) assert.equal(line[start - 1], ' ', `misaligned: ${line}`);
  }
  return { header: cut(first), rows: lines.map(cut) };
}

/** The value of a `Label:  value` line of the human output. */
export function field(stdout: string, label: string): string | undefined {
  return new RegExp(`^${label}:\\s+(.*)$`, 'm').exec(stdout)?.[1];
}
