import type { Command } from 'commander';
import type { WhoAmI } from '../../contracts/access.ts';
import {
  addOutputOptions,
  emit,
  outputFormat,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { cell, formatFields, formatTime } from '../output.ts';

export function register(program: Command, ctx: CliContext): void {
  addOutputOptions(
    program.command('whoami').description('who the token belongs to, and the role it acts with'),
  ).action((options: OutputOptions) => showWhoAmI(ctx, options));
}

export async function showWhoAmI(ctx: CliContext, options: OutputOptions) {
  const me = await ctx.client().request<WhoAmI>('GET', '/api/v1/users/me');
  await emit(ctx.io, outputFormat(options), me, () => describeWhoAmI(me));
  if (me.user.mustChangePassword && outputFormat(options) === 'table') {
    ctx.io.warn(
      `note: ${me.user.username} must change the password someone else set: hookline users passwd`,
    );
  }
}

function describeWhoAmI(me: WhoAmI): string {
  const { user } = me;
  // a token may act with a narrower role than its user's: say both when they differ
  const role = me.role === user.role ? me.role : `${me.role} (the token's; ${user.role} as a user)`;
  return formatFields([
    ['User', cell(user.username)],
    ...(user.displayName ? ([['Name', cell(user.displayName)]] as const) : []),
    ['Role', role],
    ['Via', me.via],
    ...(me.tokenId ? ([['Token', me.tokenId]] as const) : []),
    ...(me.sessionExpiresAt ? ([['Session ends', formatTime(me.sessionExpiresAt)]] as const) : []),
  ]);
}
