// `hookline users`: an admin manages the people who use Hookline; `users passwd` changes your
// own password. Passwords come from stdin or a hidden prompt (password-input.ts), never argv;
// the only one ever printed is one the CLI generated, once.
import { Option, type Command } from 'commander';
import type { Role, User, UserPatch } from '../../contracts/access.ts';
import {
  addOutputOptions,
  emit,
  outputFormat,
  UsageError,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { addPageOptions, printListPage, type ListOptions } from '../list-command.ts';
import { cell, formatBoolean, formatFields, formatTable, formatTime } from '../output.ts';
import {
  addPasswordOptions,
  readNewPassword,
  readPasswordChange,
  type PasswordOptions,
} from '../password-input.ts';

const base = '/api/v1/users';
const path = (user: string) => `${base}/${encodeURIComponent(user)}`;

// A copy, not an import: the contract module loads zod (~0.3 s per command). The type check
// below fails when the contract's roles and this list differ.
export const roles = ['viewer', 'editor', 'admin'] as const;
const rolesInStep: [Role, (typeof roles)[number]] extends [(typeof roles)[number], Role]
  ? true
  : false = true;
void rolesInStep;

interface CreateOptions extends OutputOptions, PasswordOptions {
  role: Role;
  displayName?: string;
}

interface UpdateOptions extends OutputOptions {
  role?: Role;
  displayName?: string;
  disable?: boolean;
  enable?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const group = program
    .command('users')
    .description('manage users (admin) and change your own password (users passwd)');

  addPageOptions(group.command('list').description('list users by user name')).action(
    (options: ListOptions) => listUsers(ctx, options),
  );

  addOutputOptions(
    group.command('show').description('show one user').argument('<user>', 'user name or id'),
  ).action((user: string, options: OutputOptions) => showUser(ctx, user, options));

  addOutputOptions(
    addPasswordOptions(
      group
        .command('create')
        .description(
          'create a user; without --password-stdin or a terminal, a generated password is shown once',
        )
        .argument('<username>', 'letters, digits, _ . @ or -; e.g. an e-mail address')
        .addOption(
          new Option('--role <role>', 'what they may do').choices(roles).makeOptionMandatory(),
        )
        .option('--display-name <name>', 'the name the console shows'),
      'read the password from stdin (one line)',
    ),
  ).action((username: string, options: CreateOptions) => createUser(ctx, username, options));

  addOutputOptions(
    group
      .command('update')
      .description("change a user's role or display name, or disable (sign out) or enable them")
      .argument('<user>', 'user name or id')
      .addOption(new Option('--role <role>', 'what they may do').choices(roles))
      .option('--display-name <name>', 'the name the console shows')
      .addOption(
        new Option('--disable', 'refuse their logins and tokens; signs them out').conflicts(
          'enable',
        ),
      )
      .option('--enable', 'let a disabled user in again'),
  ).action((user: string, options: UpdateOptions) => updateUser(ctx, user, options));

  addOutputOptions(
    addPasswordOptions(
      group
        .command('set-password')
        .description(
          "set a user's password (they must change it at the next login); without --password-stdin or a terminal, a generated one is shown once",
        )
        .argument('<user>', 'user name or id'),
      'read the password from stdin (one line)',
    ),
  ).action((user: string, options: PasswordOptions & OutputOptions) =>
    setPassword(ctx, user, options),
  );

  addPasswordOptions(
    group
      .command('passwd')
      .description('change your own password (your other console sessions end)'),
    'read two lines from stdin: the current password, then the new one (also without a terminal)',
  ).action((options: PasswordOptions) => changeOwnPassword(ctx, options));
}

export async function listUsers(ctx: CliContext, options: ListOptions) {
  await printListPage<User>(ctx, { base, plural: 'users' }, options, (items) =>
    formatTable(
      ['username', 'name', 'role', 'status', 'last login'],
      items.map((u) => [
        cell(u.username),
        cell(u.displayName),
        u.role,
        describeStatus(u),
        u.lastLoginAt === null ? 'never' : formatTime(u.lastLoginAt),
      ]),
    ),
  );
}

export async function showUser(ctx: CliContext, ref: string, options: OutputOptions) {
  const user = await ctx.client().request<User>('GET', path(ref));
  await emit(ctx.io, outputFormat(options), user, () => describeUser(user));
}

export async function createUser(ctx: CliContext, username: string, options: CreateOptions) {
  const { password, generated } = await readNewPassword(ctx.io, username, options);
  const body = { username, password, role: options.role, displayName: options.displayName };
  const created = await ctx.client().request<User>('POST', base, { body });
  const format = outputFormat(options);
  // --json/-o: the API answer, plus the password when it was generated here (shown only now)
  await emit(ctx.io, format, generated ? { ...created, password } : created, () =>
    generated
      ? `created user ${cell(created.username)} (${created.role})\npassword: ${password}`
      : `created user ${cell(created.username)} (${created.role})`,
  );
  if (generated) warnShownOnce(ctx, created);
}

export async function updateUser(ctx: CliContext, ref: string, options: UpdateOptions) {
  const body: UserPatch = {
    role: options.role,
    displayName: options.displayName,
    disabled: options.disable ? true : options.enable ? false : undefined,
  };
  if (Object.values(body).every((value) => value === undefined)) {
    throw new UsageError('nothing to change: pass --role, --display-name, --disable or --enable');
  }
  const updated = await ctx.client().request<User>('PATCH', path(ref), { body });
  await emit(
    ctx.io,
    outputFormat(options),
    updated,
    () => `updated user ${cell(updated.username)} (${updated.role}, ${describeStatus(updated)})`,
  );
}

export async function setPassword(
  ctx: CliContext,
  ref: string,
  options: PasswordOptions & OutputOptions,
) {
  const client = ctx.client();
  // read first: no prompt for a user that does not exist, and the name the password must avoid
  const user = await client.request<User>('GET', path(ref));
  const { password, generated } = await readNewPassword(ctx.io, user.username, options);
  const updated = await client.request<User>('PATCH', path(user.id), { body: { password } });
  await emit(ctx.io, outputFormat(options), generated ? { ...updated, password } : updated, () =>
    generated
      ? `set a new password for ${cell(updated.username)}\npassword: ${password}`
      : `set a new password for ${cell(updated.username)}`,
  );
  if (generated) warnShownOnce(ctx, updated);
  else if (updated.mustChangePassword) {
    ctx.io.warn(`note: ${updated.username} must change it at their next login`);
  }
}

export async function changeOwnPassword(ctx: CliContext, options: PasswordOptions) {
  const change = await readPasswordChange(ctx.io, options);
  await ctx.client().request('POST', `${base}/me/password`, { body: change });
  ctx.io.print('changed your password; your other console sessions have ended');
}

function warnShownOnce(ctx: CliContext, user: User): void {
  ctx.io.warn(
    `note: this password is shown only now; hand it to ${user.username} safely${
      user.mustChangePassword ? ': they must change it at their next login' : ''
    }`,
  );
}

function describeStatus(user: User): string {
  if (user.disabled) return 'disabled';
  return user.mustChangePassword ? 'must change password' : 'active';
}

function describeUser(user: User): string {
  return formatFields([
    ['Username', cell(user.username)],
    ['Id', user.id],
    ['Name', cell(user.displayName)],
    ['Role', user.role],
    ['Disabled', formatBoolean(user.disabled)],
    ['Must change password', formatBoolean(user.mustChangePassword)],
    ['Last login', user.lastLoginAt === null ? 'never' : formatTime(user.lastLoginAt)],
    ['Created', formatTime(user.createdAt)],
    ['Updated', formatTime(user.updatedAt)],
  ]);
}
