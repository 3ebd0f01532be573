import type { Actor } from '../../core/context.ts';
import {
  exportFormatVersion,
  type ExportBundleQuery,
  type ExportBundleMetadata,
} from '../../contracts/exports.ts';
import { buildZip, checksumsOf, jsonFile, type ArchiveFile } from './export-archive.ts';
import { exportBundleFileName } from './export-file-name.ts';
import type { ConnectionExport } from './export.service.ts';

export interface ExportBundleDeps {
  exporter: string;
  now(): Date;
  /** the id of the connection `idOrName` means; NOT_FOUND when none */
  resolve(idOrName: string, options: { project?: string }): Promise<string>;
  /** one connection's archive, audited as any export (`connection.export`) */
  exportConnection(
    idOrName: string,
    actor: Actor,
    options: { project?: string },
  ): Promise<ConnectionExport & { project: string | null }>;
}

/** The archive of several connections: its file name and bytes. */
export interface BundleExport {
  fileName: string;
  archive: Buffer;
  count: number;
}

/**
 * One archive of several connections (the console's bulk Export): each connection's own
 * archive, byte for byte what `GET /connections/{id}/export` gives, under
 * `<project or global>/` (two projects may each have a `Slack`), and a `metadata.json` listing
 * them with their checksums. Nested rather than merged, so every part keeps its format, its
 * checksums and its file name, and can be checked or imported alone. Any connection not found
 * refuses the whole export (NOT_FOUND naming it), before anything is exported or audited: an
 * archive silently missing one is worse.
 */
export async function exportBundle(
  deps: ExportBundleDeps,
  request: ExportBundleQuery,
  actor: Actor,
): Promise<BundleExport> {
  const exportedAt = deps.now();
  // every one found first (an id and the name of the same connection count once), so a
  // refusal leaves no audit record of an export that never left
  const ids = new Set<string>();
  for (const idOrName of new Set(request.connections)) {
    ids.add(await deps.resolve(idOrName, { project: request.project }));
  }
  const parts: Array<{
    file: ArchiveFile;
    exported: ConnectionExport & { project: string | null };
  }> = [];
  for (const id of ids) {
    const exported = await deps.exportConnection(id, actor, {});
    const folder = exported.project ?? 'global';
    parts.push({
      file: { path: `${folder}/${exported.fileName}`, content: exported.archive },
      exported,
    });
  }
  const files = parts.map((part) => part.file);
  const checksums = checksumsOf(files);
  const metadata: ExportBundleMetadata = {
    formatVersion: exportFormatVersion,
    kind: 'connections',
    exporter: deps.exporter,
    exportedAt: exportedAt.toISOString(),
    exportedBy: actor.name,
    archives: parts.map((part, index) => ({
      ...(checksums[index] as (typeof checksums)[number]),
      connection: { ...part.exported.connection, project: part.exported.project },
    })),
  };
  return {
    fileName: exportBundleFileName(parts.length, exportedAt),
    archive: await buildZip([jsonFile('metadata.json', metadata), ...files], exportedAt),
    count: parts.length,
  };
}
