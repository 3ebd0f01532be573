// Human output: aligned tables and field lists. Written by hand (about 40 lines) rather than
// adding a table dependency: plain padding is all the CLI needs, and `--json` serves scripts.

const gap = '  ';

/** Columns padded to their widest cell; no trailing spaces; header row in capitals. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]) {
  const all = [headers.map((header) => header.toUpperCase()), ...rows];
  const widths = headers.map((_, column) =>
    Math.max(...all.map((row) => displayWidth(row[column] ?? ''))),
  );
  return all
    .map((row) =>
      row
        .map((text, column) =>
          column === row.length - 1
            ? text
            : text + ' '.repeat((widths[column] ?? 0) - displayWidth(text)),
        )
        .join(gap)
        .trimEnd(),
    )
    .join('\n');
}

/** `Label:  value` lines with the values aligned. */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(...fields.map(([label]) => label.length + 1));
  return fields
    .map(([label, value]) => `${`${label}:`.padEnd(width)}${gap}${value}`.trimEnd())
    .join('\n');
}

/** Exactly what the API answered, for scripts. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** YAML, block style, long strings kept on one line. (yaml loads lazily: ~0.1 s of start-up.) */
export async function formatYaml(value: unknown): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** `2025-11-13T10:04:05.123Z` → `2025-11-13 10:04Z` (UTC, minute precision). */
export function formatTime(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : iso;
}

export function formatBoolean(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** Code points, not UTF-16 units, so names with accents or emoji still line up. */
function displayWidth(text: string): number {
  return [...text].length;
}

/**
 * A table cell or field value from the server: control characters become spaces, so a crafted
 * description can neither break the table onto new lines nor send terminal escape sequences.
 */
export function cell(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}
