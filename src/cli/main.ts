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
import {
  createContext,
  emit,
  outputFormat,
  UsageError,
  type CliContext,
  type CliIo,
  type OutputFormat,
} from './context.ts';

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

/** What the command line chose that reaches past one command: the server, and the output. */
interface Globals {
  url?: string;
  token?: string;
  /** the output format of the command that ran (its --json / -o), known once it started */
  format?: OutputFormat;
}

export function createProgram(ctx: CliContext, globals: Globals): Command {
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
    .hook('preAction', (command, actionCommand) => {
      Object.assign(globals, command.opts());
      globals.format = outputFormat(actionCommand.opts());
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

/**
 * Runs one command line (without `node` and the script) and answers its exit code. With
 * `--json` (or `-o json|yaml`) an error is printed to stdout as the document scripts read,
 * `{"error": {"code", "message", "details"}}` — the API's own for an API error, a CLI code
 * (cliErrorCodes) otherwise — unless the command already printed its document (`send --wait`
 * printing the failed delivery): stdout stays one document, and the error goes to stderr.
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const globals: Globals = {};
  let printed = false;
  const tracked: CliIo = {
    ...io,
    print: (text) => {
      printed = true;
      io.print(text);
    },
  };
  const ctx = createContext(tracked, () => globals, `hookline-cli/${version}`);
  const program = createProgram(ctx, globals);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    const failure = failureOf(ctx, error);
    const format = globals.format ?? formatOf(argv);
    if (format !== 'table' && !printed && failure.error) {
      await emit(io, format, { error: failure.error }, () => '');
    } else {
      for (const line of failure.lines) io.warn(line);
    }
    return failure.exitCode;
  }
}

/**
 * Codes of the errors the CLI reports itself (an API error keeps the API's code); keep in step
 * with docs/reference/cli.md.
 */
export const cliErrorCodes = {
  /** a usage error: exit 2 */
  usage: 'USAGE',
  /** the server could not be reached, or what answered is not Hookline: exit 1 */
  unreachable: 'UNREACHABLE',
  /** `send --wait --timeout` ran out: exit 3 */
  waitTimedOut: 'WAIT_TIMED_OUT',
  /** anything else that stopped the command: exit 1 */
  failed: 'FAILED',
} as const;

interface Failure {
  exitCode: number;
  /** the error document's `error` member; none for commander's --help and --version */
  error?: { code: string; message: string; details?: Record<string, unknown> };
  /** what a person reads on stderr */
  lines: string[];
}

function failureOf(ctx: CliContext, error: unknown): Failure {
  if (error instanceof CommanderError) {
    // commander has printed the message (or the help) already
    const hint =
      error.code === 'commander.unknownOption' && /'--(token|url)'/.test(error.message)
        ? ['--url and --token go before the command: hookline --url URL connections list']
        : [];
    if (error.exitCode === 0) return { exitCode: exitCodes.ok, lines: hint };
    const message = error.message.replace(/^error: /, '');
    return {
      exitCode: exitCodes.usage,
      error: { code: cliErrorCodes.usage, message },
      lines: hint,
    };
  }
  if (error instanceof UsageError) {
    return cliFailure(exitCodes.usage, cliErrorCodes.usage, error.message);
  }
  if (error instanceof ApiError) {
    const lines = [`error ${error.code}: ${error.message}`];
    for (const problem of error.problems) {
      lines.push(`  ${problem.path || '(body)'}: ${problem.message}`);
    }
    const tokenFile = ctx.tokenFile();
    if (error.code === 'UNAUTHENTICATED' && tokenFile) {
      lines.push(`hint: set HOOKLINE_TOKEN or pass --token (no token was found in ${tokenFile})`);
    }
    const { code, message, details } = error;
    return {
      exitCode: exitCodes.refused,
      error: { code, message, ...(details ? { details } : {}) },
      lines,
    };
  }
  if (error instanceof deliveriesCommand.WaitTimedOut) {
    return cliFailure(exitCodes.timedOut, cliErrorCodes.waitTimedOut, error.message);
  }
  if (error instanceof AwaitingApproval) {
    // the deploy printed the API's APPROVAL_REQUIRED answer already with --json/-o
    return cliFailure(exitCodes.awaitingApproval, 'APPROVAL_REQUIRED', error.message);
  }
  if (error instanceof UnreachableError) {
    return cliFailure(exitCodes.refused, cliErrorCodes.unreachable, error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  return cliFailure(exitCodes.refused, cliErrorCodes.failed, message);
}

function cliFailure(exitCode: number, code: string, message: string): Failure {
  return { exitCode, error: { code, message }, lines: [`hookline: ${message}`] };
}

/**
 * The output format asked for on a command line that did not get as far as running its
 * command (commander refused it): `--json`, `-o json`, `--output=yaml`, `-ojson`.
 */
function formatOf(argv: readonly string[]): OutputFormat {
  let format: OutputFormat = 'table';
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    const value =
      arg === '--json'
        ? 'json'
        : arg === '-o' || arg === '--output'
          ? argv[i + 1]
          : /^(?:--output=|-o)(.+)$/.exec(arg)?.[1];
    if (value === 'json' || value === 'yaml') format = value;
  }
  return format;
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
