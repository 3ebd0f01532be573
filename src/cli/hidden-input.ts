// Values that must never be in argv (shell history and `ps` keep it): secret values and
// passwords, read from stdin or asked for on the terminal without echo.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { UsageError } from './context.ts';

/** All of stdin as text (until end of file); unreadable is a usage error. */
export function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read stdin: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/**
 * Asks each question on the terminal (stderr), one after the other, without echoing what is
 * typed; answers what was typed, in order.
 */
export async function promptHidden(questions: readonly string[]): Promise<string[]> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const prompt = createInterface({ input: process.stdin, output, terminal: true });
  const answers: string[] = [];
  try {
    for (const question of questions) {
      muted = false;
      const answer = prompt.question(question);
      muted = true;
      answers.push(await answer);
      process.stderr.write('\n');
    }
    return answers;
  } finally {
    prompt.close();
  }
}

/** `echo value > file` and `echo value | …` add one newline that is not part of the value. */
export function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}
