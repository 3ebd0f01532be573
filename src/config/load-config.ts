import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  configSources,
  secretSettings,
  serverConfigSchema,
  type ServerConfig,
} from './config.schema.ts';

/** A bad setting stops start-up with this, naming the exact key and where it came from. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface ConfigInput {
  /** values given as command-line flags, by setting name */
  flags?: Partial<Record<keyof ServerConfig, string | number | undefined>>;
  /** the process environment (only main/CLI pass process.env in) */
  env?: Record<string, string | undefined>;
  /** a YAML or JSON file (`--config` / HOOKLINE_CONFIG) */
  file?: string;
}

type Origin = 'default' | 'file' | 'env' | 'flag';

/** defaults → file → environment → flags → validate → freeze. */
export function loadConfig(input: ConfigInput = {}): ServerConfig {
  const env = input.env ?? {};
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  const set = (key: string, value: unknown, from: Origin, name: string) => {
    if (value === undefined || value === '') return;
    raw[key] = value;
    origin[key] = `${from} ${name}`;
  };

  const file = input.file ?? env.HOOKLINE_CONFIG;
  if (file) {
    for (const [key, value] of Object.entries(readConfigFile(file)))
      set(key, value, 'file', `${file}: ${key}`);
  }
  for (const [key, source] of Object.entries(configSources)) {
    set(key, env[source.env], 'env', source.env);
    if (source.flag) set(key, input.flags?.[key as keyof ServerConfig], 'flag', source.flag);
  }

  const parsed = serverConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const where = origin[key] ?? key;
      const shown =
        key && secretSettings.has(key as keyof ServerConfig)
          ? ''
          : ` (got ${JSON.stringify(raw[key])})`;
      return issue.code === 'unrecognized_keys'
        ? `${file}: unknown setting ${issue.keys.join(', ')}`
        : `${where}: ${issue.message}${shown}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return Object.freeze(parsed.data);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read configuration file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `configuration file ${file} is not valid YAML/JSON: ${(error as Error).message}`,
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`configuration file ${file} must hold a mapping of settings`);
  }
  return value as Record<string, unknown>;
}

/** The effective configuration with credentials masked, for `hookline config` and the log. */
export function describeConfig(config: ServerConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    shown[key] = secretSettings.has(key as keyof ServerConfig)
      ? maskSetting(key, String(value))
      : value;
  }
  return shown;
}

function maskSetting(key: string, value: string): string {
  if (key === 'databaseUrl') {
    try {
      const url = new URL(value);
      if (url.password) url.password = '****';
      return url.toString();
    } catch {
      return '****';
    }
  }
  return '****';
}
