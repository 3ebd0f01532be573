import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createApiClient, resolveClientSettings, type ApiClient } from './api-client.ts';
import { formatJson, formatYaml } from './output.ts';

/** A mistake in how the command was called (bad flag, unreadable -f file). Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What a command may touch of the outside world: passed in, so nothing reads globals. */
export interface CliIo {
  /** one line (or block) to stdout */
  print(text: string): void;
  /** one line (or block) to stderr */
  warn(text: string): void;
  env: Record<string, string | undefined>;
  /** a person could answer a question on stdin */
  interactive: boolean;
  /** asks a yes/no question on the terminal */
  confirm(question: string): Promise<boolean>;
}

export interface CliContext {
  io: CliIo;
  /** the API client for `--url`/`--token` (or HOOKLINE_URL/HOOKLINE_TOKEN, or the token file) */
  client(): ApiClient;
  /** where the token was looked for, when no token was given (for the UNAUTHENTICATED hint) */
  tokenFile(): string | undefined;
}

export function createContext(
  io: CliIo,
  globals: () => { url?: string; token?: string },
  userAgent: string,
): CliContext {
  let client: ApiClient | undefined;
  const settings = () => resolveClientSettings(globals(), io.env);
  return {
    io,
    client() {
      if (!client) {
        try {
          client = createApiClient(settings(), userAgent);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      }
      return client;
    },
    tokenFile() {
      const resolved = settings();
      return resolved.token ? undefined : resolved.tokenFile;
    },
  };
}

/** Reads a JSON or YAML document (`-` is stdin); anything unreadable is a usage error. */
export async function readDocument(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const { parse: parseYaml } = await import('yaml');
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON or YAML: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${file} must hold one object (a mapping), not ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

/** commander argument parser: a whole number ≥ 1. */
export function parsePositiveInt(value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError('must be a whole number of at least 1');
  }
  return Number(value);
}

/** commander collector for repeatable options (`--header A --header B`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The output choice of a read command: `--json` or `-o json|yaml|table`. */
export type OutputFormat = 'table' | 'json' | 'yaml';

/** The options `addOutputOptions` adds. */
export interface OutputOptions {
  json?: boolean;
  output?: string;
}

export function outputFormat(options: OutputOptions): OutputFormat {
  if (options.json) return 'json';
  // `export -o <path>` names a file, not a format
  const { output } = options;
  return outputFormats.includes(output as OutputFormat) ? (output as OutputFormat) : 'table';
}

/** `-o, --output` and `--json` for commands that print a resource. */
export function addOutputOptions(command: Command): Command {
  return command
    .addOption(new Option('-o, --output <format>', 'output format').choices(outputFormats))
    .option('--json', 'print the API answer as JSON (same as -o json)');
}

const outputFormats = ['table', 'json', 'yaml'] as const;

/** Prints `value` as JSON or YAML exactly as the API answered, or `human()` for people. */
export async function emit(
  io: CliIo,
  format: OutputFormat,
  value: unknown,
  human: () => string,
): Promise<void> {
  if (format === 'json') io.print(formatJson(value));
  else if (format === 'yaml') io.print(await formatYaml(value));
  else io.print(human());
}
