// Where `users create`, `users set-password` and `users passwd` get a password: stdin
// (--password-stdin), a hidden prompt on a terminal, or, for a password an admin sets for
// someone else, a generated one. Never argv: shell history and `ps` would keep it.
import { randomBytes } from 'node:crypto';
import { Option, type Command } from 'commander';
import { UsageError, type CliIo } from './context.ts';
import { promptHidden, readStdin, stripOneNewline } from './hidden-input.ts';

/** The options `addPasswordOptions` adds. */
export interface PasswordOptions {
  passwordStdin?: boolean;
  /** refused: see addPasswordOptions */
  password?: string;
}

// 18 random bytes: 24 base64url characters, 144 bits; far above the server's 12-character rule
const generatedPasswordBytes = 18;

export function addPasswordOptions(command: Command, stdinHelp: string): Command {
  return (
    command
      .option('--password-stdin', stdinHelp)
      // accepted only to refuse it with advice, instead of commander's "unknown option"
      .addOption(new Option('--password <password>').hideHelp())
  );
}

/**
 * A password for `username` that an admin sets: from stdin with --password-stdin, else asked
 * twice on a terminal, else generated (`generated: true`: the caller shows it, once).
 */
export async function readNewPassword(
  io: CliIo,
  username: string,
  options: PasswordOptions,
): Promise<{ password: string; generated: boolean }> {
  refuseArgv(options);
  if (options.passwordStdin) return { password: oneLine(readStdin()), generated: false };
  if (!io.interactive) return { password: generatePassword(username), generated: true };
  const [first = '', again = ''] = await promptHidden([
    `Password for ${username} (not shown): `,
    'Again: ',
  ]);
  if (first !== again) throw new UsageError('the two passwords differ; nothing was changed');
  return { password: nonEmpty(first), generated: false };
}

/**
 * Your current and your new password: two lines of stdin (current, then new) with
 * --password-stdin or without a terminal, else asked on the terminal (the new one twice).
 */
export async function readPasswordChange(
  io: CliIo,
  options: PasswordOptions,
): Promise<{ currentPassword: string; newPassword: string }> {
  refuseArgv(options);
  if (options.passwordStdin || !io.interactive) {
    const lines = stripOneNewline(readStdin()).split(/\r?\n/);
    if (lines.length !== 2) {
      throw new UsageError('stdin must hold two lines: your current password, then the new one');
    }
    const [current = '', next = ''] = lines;
    return { currentPassword: nonEmpty(current), newPassword: nonEmpty(next) };
  }
  const [current = '', next = '', again = ''] = await promptHidden([
    'Current password (not shown): ',
    'New password (not shown): ',
    'Again: ',
  ]);
  if (next !== again) throw new UsageError('the two new passwords differ; nothing was changed');
  return { currentPassword: nonEmpty(current), newPassword: nonEmpty(next) };
}

/**
 * A random password the server's rules accept: it must not contain the user name (any case),
 * which a short name like `a` would often be found in, so draw again until it does not.
 */
export function generatePassword(username: string): string {
  const name = username.toLowerCase();
  for (;;) {
    const password = randomBytes(generatedPasswordBytes).toString('base64url');
    if (name === '' || !password.toLowerCase().includes(name)) return password;
  }
}

function refuseArgv(options: PasswordOptions): void {
  if (options.password !== undefined) {
    throw new UsageError(
      'a password is never taken on the command line (shell history and `ps` would keep it): use --password-stdin, or answer the prompt',
    );
  }
}

/** One line of stdin: a trailing newline is dropped; a password of several lines is refused. */
function oneLine(text: string): string {
  const password = stripOneNewline(text);
  if (/[\r\n]/.test(password)) {
    throw new UsageError('stdin must hold the password alone, on one line');
  }
  return nonEmpty(password);
}

function nonEmpty(password: string): string {
  if (password === '') throw new UsageError('the password is empty');
  return password;
}
