import type { Command } from 'commander';
import type { Certificate, CertificateSummary } from '../../contracts/certificates.ts';
import type { Warning } from '../../contracts/common.ts';
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
import { readTextFile } from '../local-files.ts';
import { cell, formatBoolean, formatFields, formatTable, formatTime } from '../output.ts';

const base = '/api/v1/certificates';
const path = (name: string) => `${base}/${encodeURIComponent(name)}`;

interface SaveOptions extends OutputOptions {
  file?: string;
  description?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const group = program
    .command('certificates')
    .description(
      'manage CA certificates that connections trust in addition to the public roots (tls.caCertificates)',
    );

  addListOptions(
    group
      .command('list')
      .description('list certificates with subject and expiry (warnings for the next 30 days)'),
  ).action((options: ListOptions) => listCertificates(ctx, options));

  addOutputOptions(
    group
      .command('show')
      .description('show a certificate: subject, issuer, SANs, validity, fingerprint')
      .argument('<name>', 'certificate name or id')
      .option('--pem', 'print only the PEM (to save or pipe into openssl)'),
  ).action((name: string, options: OutputOptions & { pem?: boolean }) =>
    showCertificate(ctx, name, options),
  );

  addOutputOptions(
    group
      .command('add')
      .description(
        'add CA certificates from a PEM file (e.g. `hookline certificates add corp-root -f ca.pem`)',
      )
      .argument('<name>', 'what connections name in tls.caCertificates')
      .requiredOption('-f, --file <file>', 'PEM file with one or more certificates (- for stdin)')
      .option('--description <text>', 'what it is for'),
  ).action((name: string, options: SaveOptions) => saveCertificate(ctx, 'add', name, options));

  addOutputOptions(
    group
      .command('replace')
      .description('replace the PEM of a certificate (a renewed CA); connections keep the name')
      .argument('<name>', 'certificate name or id')
      .requiredOption('-f, --file <file>', 'PEM file with one or more certificates (- for stdin)')
      .option('--description <text>', 'a new description'),
  ).action((name: string, options: SaveOptions) => saveCertificate(ctx, 'replace', name, options));

  group
    .command('delete')
    .description('delete a certificate (refused while connections trust it)')
    .argument('<name>', 'certificate name or id')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((name: string, options: { yes?: boolean }) => deleteCertificate(ctx, name, options));
}

export async function listCertificates(ctx: CliContext, options: ListOptions) {
  await printListPage<Certificate>(ctx, { base, plural: 'certificates' }, options, (items) =>
    formatTable(
      ['name', 'subject', 'not after', 'certs', 'warnings'],
      items.map((c) => [
        cell(c.name),
        cell(c.subject),
        formatTime(c.notAfter),
        String(c.certificates.length),
        warningCodes(c.warnings),
      ]),
    ),
  );
}

export async function showCertificate(
  ctx: CliContext,
  name: string,
  options: OutputOptions & { pem?: boolean },
) {
  const certificate = await ctx.client().request<Certificate>('GET', path(name));
  if (options.pem) {
    ctx.io.print((certificate.pem ?? '').trimEnd());
    return;
  }
  printWarnings(ctx.io, certificate.warnings);
  await emit(ctx.io, outputFormat(options), certificate, () => describeCertificate(certificate));
}

export async function saveCertificate(
  ctx: CliContext,
  action: 'add' | 'replace',
  name: string,
  options: SaveOptions,
) {
  const pem = readTextFile(options.file ?? '-');
  const client = ctx.client();
  const saved =
    action === 'add'
      ? await client.request<Certificate>('POST', base, {
          body: { name, pem, description: options.description },
        })
      : await client.request<Certificate>('PUT', path(name), {
          body: { pem, description: options.description },
        });
  printWarnings(ctx.io, saved.warnings);
  await emit(ctx.io, outputFormat(options), saved, () => {
    const what =
      saved.certificates.length === 1 ? saved.subject : `${saved.certificates.length} certificates`;
    return `${action === 'add' ? 'added' : 'replaced'} certificate ${saved.name} (${cell(what)}, expires ${formatTime(saved.notAfter)})`;
  });
}

export async function deleteCertificate(ctx: CliContext, name: string, options: { yes?: boolean }) {
  if (!(await confirmDeletion(ctx.io, `certificate ${name}`, options))) {
    throw new UsageError('nothing deleted');
  }
  await ctx.client().request('DELETE', path(name));
  ctx.io.print(`deleted certificate ${name}`);
}

/** `CERTIFICATE_EXPIRES_SOON` → `expires soon`; none → `-`. */
export function warningCodes(warnings: Warning[] | undefined): string {
  if (!warnings || warnings.length === 0) return '-';
  const words = warnings.map((w) =>
    w.code
      .replace(/^(CERTIFICATE|KEY_STORE)_/, '')
      .toLowerCase()
      .replace(/_/g, ' '),
  );
  return [...new Set(words)].join(', ');
}

/** The field lines of one certificate (subject, issuer, SANs, validity, fingerprint). */
export function summaryFields(summary: CertificateSummary): Array<[string, string]> {
  return [
    ['Subject', cell(summary.subject)],
    ['Issuer', cell(summary.issuer)],
    ['SANs', summary.subjectAltNames.length > 0 ? cell(summary.subjectAltNames.join(', ')) : '-'],
    ['Valid', `${formatTime(summary.notBefore)} to ${formatTime(summary.notAfter)}`],
    ['CA', formatBoolean(summary.isCA)],
    ['Key', summary.keyAlgorithm],
    ['Serial', summary.serialNumber],
    ['SHA-256', summary.fingerprintSha256],
  ];
}

function describeCertificate(certificate: Certificate): string {
  const head = formatFields([
    ['Name', cell(certificate.name)],
    ['Id', certificate.id],
    ['Description', cell(certificate.description)],
    ['Version', String(certificate.version)],
    ['Updated', `${formatTime(certificate.updatedAt)} by ${cell(certificate.updatedBy)}`],
  ]);
  const each = certificate.certificates.map(
    (summary, index) =>
      `Certificate ${index + 1} of ${certificate.certificates.length}\n${formatFields(summaryFields(summary))}`,
  );
  return [head, ...each].join('\n\n');
}
