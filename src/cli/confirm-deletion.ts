import { UsageError, type CliIo } from './context.ts';

/**
 * Whether to go on deleting `what` (`key store prod-client`): yes with --yes, else the answer
 * to `question` on the terminal. Without a terminal --yes is required: a script never hangs on
 * a prompt nobody sees.
 */
export async function confirmDeletion(
  io: CliIo,
  what: string,
  options: { yes?: boolean },
  question = `Delete ${what}? [y/N] `,
): Promise<boolean> {
  if (options.yes) return true;
  if (!io.interactive) {
    throw new UsageError(`refusing to delete ${what} without confirmation: pass --yes`);
  }
  return io.confirm(question);
}
