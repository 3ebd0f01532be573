import type { Command } from 'commander';
import type { KeyStore } from '../../contracts/keystores.ts';
import { printWarnings } from '../connection-view.ts';
import { confirmDeletion } from '../confirm-deletion.ts';
import {
  addOutputOptions,
  emit,
  outputFormat,
  UsageError,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { addListOptions, printListPage, type ListOptions } from '../list-command.ts';
import { readBinaryFile, readTextFile } from '../local-files.ts';
import { cell, formatFields, formatTable, formatTime } from '../output.ts';
import { summaryFields, warningCodes } from './certificates.ts';

const base = '/api/v1/keystores';
const path = (name: string) => `${base}/${encodeURIComponent(name)}`;

/**
 * Where the certificate and key come from: local files, read here and sent once. The
 * passphrase is never an argument (shell history, `ps`): it is the name of a secret.
 */
interface ContentOptions extends OutputOptions {
  cert?: string;
  key?: string;
  p12?: string;
  passphraseSecret?: string;
  description?: string;
}

function addContentOptions(command: Command): Command {
  return command
    .option('--cert <file>', 'PEM client certificate, optionally followed by its chain')
    .option('--key <file>', 'PEM private key of the certificate')
    .option('--p12 <file>', 'PKCS#12 (.p12/.pfx) file with the key and certificate')
    .option(
      '--passphrase-secret <name>',
      'the secret holding the passphrase (required with --p12; with --key when it is encrypted)',
    )
    .option('--description <text>', 'what it is for');
}

export function register(program: Command, ctx: CliContext): void {
  const group = program
    .command('keystores')
    .description(
      'manage client certificates + keys for mutual TLS (tls.keyStore); keys are never shown',
    );

  addListOptions(
    group.command('list').description('list key stores with their certificate and expiry'),
  ).action((options: ListOptions) => listKeyStores(ctx, options));

  addOutputOptions(
    group
      .command('show')
      .description("show a key store's certificate and chain (never the key)")
      .argument('<name>', 'key store name or id'),
  ).action((name: string, options: OutputOptions) => showKeyStore(ctx, name, options));

  addOutputOptions(
    addContentOptions(
      group
        .command('add')
        .description(
          'add a key store: --cert FILE --key FILE, or --p12 FILE --passphrase-secret NAME',
        )
        .argument('<name>', 'what connections name in tls.keyStore'),
    ),
  ).action((name: string, options: ContentOptions) => saveKeyStore(ctx, 'add', name, options));

  addOutputOptions(
    addContentOptions(
      group
        .command('replace')
        .description('replace the certificate and key of a key store (a renewal)')
        .argument('<name>', 'key store name or id'),
    ),
  ).action((name: string, options: ContentOptions) => saveKeyStore(ctx, 'replace', name, options));

  group
    .command('delete')
    .description('delete a key store (refused while connections use it)')
    .argument('<name>', 'key store name or id')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((name: string, options: { yes?: boolean }) => deleteKeyStore(ctx, name, options));
}

export async function listKeyStores(ctx: CliContext, options: ListOptions) {
  await printListPage<KeyStore>(ctx, { base, plural: 'key stores' }, options, (items) =>
    formatTable(
      ['name', 'format', 'subject', 'not after', 'warnings'],
      items.map((k) => [
        cell(k.name),
        k.format,
        cell(k.subject),
        formatTime(k.notAfter),
        warningCodes(k.warnings),
      ]),
    ),
  );
}

export async function showKeyStore(ctx: CliContext, name: string, options: OutputOptions) {
  const keyStore = await ctx.client().request<KeyStore>('GET', path(name));
  printWarnings(ctx.io, keyStore.warnings);
  await emit(ctx.io, outputFormat(options), keyStore, () => describeKeyStore(keyStore));
}

export async function saveKeyStore(
  ctx: CliContext,
  action: 'add' | 'replace',
  name: string,
  options: ContentOptions,
) {
  const content = readContent(options);
  const client = ctx.client();
  const body = { ...content, description: options.description };
  const saved =
    action === 'add'
      ? await client.request<KeyStore>('POST', base, { body: { name, ...body } })
      : await client.request<KeyStore>('PUT', path(name), { body });
  printWarnings(ctx.io, saved.warnings);
  await emit(
    ctx.io,
    outputFormat(options),
    saved,
    () =>
      `${action === 'add' ? 'added' : 'replaced'} key store ${saved.name} (${saved.format}, ${cell(saved.subject)}, expires ${formatTime(saved.notAfter)})`,
  );
}

export async function deleteKeyStore(ctx: CliContext, name: string, options: { yes?: boolean }) {
  if (!(await confirmDeletion(ctx.io, `key store ${name}`, options))) {
    throw new UsageError('nothing deleted');
  }
  await ctx.client().request('DELETE', path(name));
  ctx.io.print(`deleted key store ${name}`);
}

/** The body's format fields from the flags: PEM files, or a PKCS#12 file. */
function readContent(options: ContentOptions): Record<string, string> {
  const passphrase =
    options.passphraseSecret === undefined ? undefined : `{{secret.${options.passphraseSecret}}}`;
  if (options.p12 !== undefined) {
    if (options.cert !== undefined || options.key !== undefined) {
      throw new UsageError('give either --p12, or --cert and --key, not both');
    }
    if (passphrase === undefined) {
      throw new UsageError(
        'a PKCS#12 file needs --passphrase-secret NAME: store its passphrase first (hookline secrets create NAME --value-stdin)',
      );
    }
    return {
      format: 'pkcs12',
      pkcs12Base64: readBinaryFile(options.p12).toString('base64'),
      passphrase,
    };
  }
  if (options.cert === undefined || options.key === undefined) {
    throw new UsageError(
      'give --cert FILE and --key FILE (PEM), or --p12 FILE --passphrase-secret NAME',
    );
  }
  return {
    format: 'pem',
    certificatePem: readTextFile(options.cert),
    privateKeyPem: readTextFile(options.key),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
}

function describeKeyStore(keyStore: KeyStore): string {
  const head = formatFields([
    ['Name', cell(keyStore.name)],
    ['Id', keyStore.id],
    ['Format', keyStore.format],
    ['Private key', 'stored sealed (never shown)'],
    ['Passphrase', keyStore.passphrase ?? '-'],
    ['Description', cell(keyStore.description)],
    ['Version', String(keyStore.version)],
    ['Updated', `${formatTime(keyStore.updatedAt)} by ${cell(keyStore.updatedBy)}`],
    ...summaryFields(keyStore),
  ]);
  const chain = keyStore.chain.map(
    (summary, index) =>
      `Chain ${index + 1} of ${keyStore.chain.length}\n${formatFields(summaryFields(summary))}`,
  );
  return [head, ...chain].join('\n\n');
}
