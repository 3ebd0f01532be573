// `hookline tokens`: API tokens of the caller (admins: `--user` lists another user's). A
// token's value is printed once, by `create`; the server never shows it again.
import { Option, type Command } from 'commander';
import type { Role, Token, TokenCreated } from '../../contracts/access.ts';
import {
  addOutputOptions,
  emit,
  outputFormat,
  UsageError,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { addPageOptions, printListPage, type ListOptions as PageOptions } from '../list-command.ts';
import { cell, formatFields, formatTable, formatTime } from '../output.ts';
import { roles } from './users.ts';

const base = '/api/v1/tokens';
const path = (id: string) => `${base}/${encodeURIComponent(id)}`;

const hourMs = 3_600_000;
const durationUnitsMs = { h: hourMs, d: 24 * hourMs, w: 7 * 24 * hourMs } as const;

interface ListOptions extends PageOptions {
  user?: string;
}

interface CreateOptions extends OutputOptions {
  role?: Role;
  expires?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const group = program
    .command('tokens')
    .description('API tokens: yours (admins: anyone’s with --user); a value is shown only once');

  addPageOptions(group.command('list').description('list your tokens, oldest first'), (list) =>
    list.option('--user <user>', "admins: another user's tokens (user name or id)"),
  ).action((options: ListOptions) => listTokens(ctx, options));

  addOutputOptions(
    group.command('show').description('show one token (never its value)').argument('<id>', 'tok_…'),
  ).action((id: string, options: OutputOptions) => showToken(ctx, id, options));

  addOutputOptions(
    group
      .command('create')
      .description('create a token of yours and print its value, once')
      .argument('<name>', 'what it is for, e.g. ci-deploy; unique among your tokens')
      .addOption(
        new Option('--role <role>', 'act with a narrower role than yours (default: yours)').choices(
          roles,
        ),
      )
      .option(
        '--expires <when>',
        'a duration from now (12h, 30d, 8w) or a time with its zone (2026-12-31T23:59:00Z); default: never',
      ),
  ).action((name: string, options: CreateOptions) => createToken(ctx, name, options));

  addOutputOptions(
    group
      .command('revoke')
      .description('revoke a token: refused from its next request on')
      .argument('<id>', 'tok_…'),
  ).action((id: string, options: OutputOptions) => revokeToken(ctx, id, options));
}

export async function listTokens(ctx: CliContext, options: ListOptions) {
  const list = { base, plural: 'tokens', filters: { user: options.user } };
  await printListPage<Token>(ctx, list, options, (items) =>
    formatTable(
      ['id', 'name', 'user', 'role', 'state', 'expires', 'last used'],
      items.map((t) => [
        t.id,
        cell(t.name),
        cell(t.username ?? '-'),
        describeRole(t),
        t.state,
        t.expiresAt === null ? 'never' : formatTime(t.expiresAt),
        t.lastUsedAt === null ? 'never' : formatTime(t.lastUsedAt),
      ]),
    ),
  );
}

export async function showToken(ctx: CliContext, id: string, options: OutputOptions) {
  const token = await ctx.client().request<Token>('GET', path(id));
  await emit(ctx.io, outputFormat(options), token, () => describeToken(token));
}

export async function createToken(ctx: CliContext, name: string, options: CreateOptions) {
  const body = {
    name,
    role: options.role,
    expiresAt: options.expires === undefined ? undefined : parseExpiry(options.expires, new Date()),
  };
  const created = await ctx.client().request<TokenCreated>('POST', base, { body });
  await emit(ctx.io, outputFormat(options), created, () =>
    [
      `created token ${cell(created.name)} (${created.id}) for ${cell(created.username ?? '?')}: role ${describeRole(created)}, ${
        created.expiresAt === null ? 'never expires' : `expires ${formatTime(created.expiresAt)}`
      }`,
      created.token,
    ].join('\n'),
  );
  ctx.io.warn('note: the token is shown only now and never again: store it where it is needed');
}

export async function revokeToken(ctx: CliContext, id: string, options: OutputOptions) {
  const revoked = await ctx.client().request<Token>('DELETE', path(id));
  await emit(
    ctx.io,
    outputFormat(options),
    revoked,
    () => `revoked token ${cell(revoked.name)} (${revoked.id}) of ${cell(revoked.username ?? '?')}`,
  );
}

/**
 * `--expires`: `12h`, `30d`, `8w` from `now`, or an ISO-8601 time with its zone (`Z` or
 * `+02:00`: a time without one would mean a different instant on every machine). Sent as UTC.
 */
export function parseExpiry(text: string, now: Date): string {
  const duration = /^(\d{1,6})([hdw])$/.exec(text.trim());
  if (duration) {
    const count = Number(duration[1]);
    if (count < 1) throw new UsageError('--expires must be at least 1h from now');
    const unitMs = durationUnitsMs[duration[2] as keyof typeof durationUnitsMs];
    return new Date(now.getTime() + count * unitMs).toISOString();
  }
  const zoned = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i.test(text);
  const at = Date.parse(text);
  if (!zoned || Number.isNaN(at)) {
    throw new UsageError(
      `--expires '${text}' is neither a duration (12h, 30d, 8w) nor a time with its zone (2026-12-31T23:59:00Z)`,
    );
  }
  if (at <= now.getTime()) throw new UsageError(`--expires '${text}' is not in the future`);
  return new Date(at).toISOString();
}

/** A token without a role of its own acts with its user's. */
function describeRole(token: Token): string {
  return token.role ?? "user's";
}

function describeToken(token: Token): string {
  return formatFields([
    ['Id', token.id],
    ['Name', cell(token.name)],
    ['User', cell(token.username ?? '-')],
    ['Role', describeRole(token)],
    ['State', token.state],
    ['Created', formatTime(token.createdAt)],
    ['Expires', token.expiresAt === null ? 'never' : formatTime(token.expiresAt)],
    ...(token.revokedAt === null ? [] : ([['Revoked', formatTime(token.revokedAt)]] as const)),
    ['Last used', token.lastUsedAt === null ? 'never' : formatTime(token.lastUsedAt)],
  ]);
}
