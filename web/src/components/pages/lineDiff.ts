// A line diff of two texts (the pretty-printed JSON of two revisions): the longest common
// subsequence of their lines, after the common head and tail are set aside.

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * Above this many cells (lines × lines of the part that differs) the table would take more
 * memory than a page should (4 M cells = 16 MB): the part is shown as removed, then added.
 */
const maxCells = 4_000_000;

export function diffLines(before: string[], after: string[]): DiffLine[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > head && endAfter > head && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  const same = (text: string): DiffLine => ({ kind: 'same', text });
  const middleBefore = before.slice(head, endBefore);
  const middleAfter = after.slice(head, endAfter);
  const middle =
    middleBefore.length * middleAfter.length > maxCells
      ? [
          ...middleBefore.map((text): DiffLine => ({ kind: 'removed', text })),
          ...middleAfter.map((text): DiffLine => ({ kind: 'added', text })),
        ]
      : diffMiddle(middleBefore, middleAfter);
  return [...before.slice(0, head).map(same), ...middle, ...before.slice(endBefore).map(same)];
}

function diffMiddle(before: string[], after: string[]): DiffLine[] {
  const n = before.length;
  const m = after.length;
  const width = m + 1;
  // lcs[i * width + j]: the longest common subsequence of before[i..] and after[j..]
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        before[i] === after[j]
          ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const left = before[i];
    const right = after[j];
    if (i < n && j < m && left === right) {
      lines.push({ kind: 'same', text: left ?? '' });
      i++;
      j++;
    } else if (
      j >= m ||
      (i < n && (lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0))
    ) {
      lines.push({ kind: 'removed', text: left ?? '' });
      i++;
    } else {
      lines.push({ kind: 'added', text: right ?? '' });
      j++;
    }
  }
  return lines;
}

export type DiffRow = DiffLine | { kind: 'skipped'; count: number };

/** Keeps `context` unchanged lines around each change and folds longer unchanged runs. */
export function foldUnchanged(lines: DiffLine[], context = 3): DiffRow[] {
  const rows: DiffRow[] = [];
  let run: DiffLine[] = [];
  const flush = (isStart: boolean, isEnd: boolean) => {
    const keepBefore = isStart ? 0 : context;
    const keepAfter = isEnd ? 0 : context;
    if (run.length > keepBefore + keepAfter + 1) {
      rows.push(...run.slice(0, keepBefore));
      rows.push({ kind: 'skipped', count: run.length - keepBefore - keepAfter });
      rows.push(...run.slice(run.length - keepAfter));
    } else {
      rows.push(...run);
    }
    run = [];
  };
  let seenChange = false;
  for (const line of lines) {
    if (line.kind === 'same') {
      run.push(line);
      continue;
    }
    flush(!seenChange, false);
    seenChange = true;
    rows.push(line);
  }
  flush(!seenChange, true);
  return rows;
}
