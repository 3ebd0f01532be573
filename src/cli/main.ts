// `hookline`: the server (`serve`, `config`) and an API client for everything else.
// Exit codes: 0 ok; 1 the server refused (or could not be reached); 2 a usage error;
// 3 `send --wait` stopped waiting (--timeout) before the delivery finished; 4 a deploy waits
// for a second admin's approval.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Command, CommanderError } from 'commander';
import { ApiError, UnreachableError } from './api-client.ts';
import * as approvalsCommand from './commands/approvals.ts';
import * as certificatesCommand from './commands/certificates.ts';
import * as configCommand from './commands/config.ts';
import { AwaitingApproval } from './commands/connection-deployments.ts';
import * as connectionsCommand from './commands/connections.ts';
import * as deliveriesCommand from './commands/deliveries.ts';
import * as environmentsCommand from './commands/environments.ts';
import * as exportCommand from './commands/export.ts';
import * as keystoresCommand from './commands/keystores.ts';
import * as projectsCommand from './commands/projects.ts';
import * as secretsCommand from './commands/secrets.ts';
import * as serveCommand from './commands/serve.ts';
import * as tokensCommand from './commands/tokens.ts';
import * as usersCommand from './commands/users.ts';
import * as variablesCommand from './commands/variables.ts';
import * as whoamiCommand from './commands/whoami.ts';
import { createContext, UsageError, type CliContext, type CliIo } from './context.ts';

// keep in step with the exit code table of docs/reference/cli.md
export const exitCodes = {
  ok: 0,
  refused: 1,
  usage: 2,
  timedOut: 3,
  awaitingApproval: 4,
} as const;

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

export function createProgram(ctx: CliContext, globals: { url?: string; token?: string }): Command {
  const program = new Command('hookline')
    .description('Hookline: a self-hosted hub for outbound webhook connections')
    .version(version, '-V, --version')
    .option('--url <url>', 'the Hookline server (HOOKLINE_URL, default http://127.0.0.1:8080)')
    .option('--token <token>', 'API token (HOOKLINE_TOKEN, default: <data>/admin-token)')
    // --url/--token belong to the program only before the command: `connections create
    // --url` is the connection's URL, never the server's
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.print(text.trimEnd()),
      writeErr: (text) => ctx.io.warn(text.trimEnd()),
    })
    .showHelpAfterError('(add --help for usage)')
    .hook('preAction', (command) => {
      Object.assign(globals, command.opts());
    });
  for (const command of [
    serveCommand,
    configCommand,
    environmentsCommand,
    projectsCommand,
    connectionsCommand,
    deliveriesCommand,
    exportCommand,
    variablesCommand,
    secretsCommand,
    certificatesCommand,
    keystoresCommand,
    whoamiCommand,
    usersCommand,
    tokensCommand,
    approvalsCommand,
  ]) {
    command.register(program, ctx);
  }
  return program;
}

/** Runs one command line (without `node` and the script) and answers its exit code. */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const globals: { url?: string; token?: string } = {};
  const ctx = createContext(io, () => globals, `hookline-cli/${version}`);
  const program = createProgram(ctx, globals);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    return reportError(ctx, error);
  }
}

function reportError(ctx: CliContext, error: unknown): number {
  const { io } = ctx;
  if (error instanceof CommanderError) {
    // commander has printed the message (or the help) already
    if (error.code === 'commander.unknownOption' && /'--(token|url)'/.test(error.message)) {
      io.warn('--url and --token go before the command: hookline --url URL connections list');
    }
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  if (error instanceof UsageError) {
    io.warn(`hookline: ${error.message}`);
    return exitCodes.usage;
  }
  if (error instanceof ApiError) {
    io.warn(`error ${error.code}: ${error.message}`);
    for (const problem of error.problems)
      io.warn(`  ${problem.path || '(body)'}: ${problem.message}`);
    const tokenFile = ctx.tokenFile();
    if (error.code === 'UNAUTHENTICATED' && tokenFile) {
      io.warn(`hint: set HOOKLINE_TOKEN or pass --token (no token was found in ${tokenFile})`);
    }
    return exitCodes.refused;
  }
  if (error instanceof deliveriesCommand.WaitTimedOut) {
    io.warn(`hookline: ${error.message}`);
    return exitCodes.timedOut;
  }
  if (error instanceof AwaitingApproval) {
    io.warn(`hookline: ${error.message}`);
    return exitCodes.awaitingApproval;
  }
  if (error instanceof UnreachableError) {
    io.warn(`hookline: ${error.message}`);
    return exitCodes.refused;
  }
  io.warn(`hookline: ${error instanceof Error ? error.message : String(error)}`);
  return exitCodes.refused;
}

function processIo(): CliIo {
  return {
    print: (text) => process.stdout.write(`${text}\n`),
    warn: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    interactive: Boolean(process.stdin.isTTY),
    async confirm(question) {
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await prompt.question(question)).trim());
      } finally {
        prompt.close();
      }
    },
  };
}
