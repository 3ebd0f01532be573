/**
 * Exports: a connection as a zip archive (DESIGN §3 "Export archive") with its metadata and
 * dependencies, for backup, review and moving between installations. Secret values, private
 * keys, PKCS#12 files and passphrases are never part of it. Format: docs/reference/export-format.md.
 */
export {
  /**
   * Creates the export service: exportConnection builds the archive of one connection (the
   * file name `<D Mon YYYY>-connection-<Name>-export.zip` and the zip bytes) and writes a
   * `connection.export` audit record.
   */
  createExportService,
  type ExportService,
  type ExportServiceDeps,
  type ConnectionExport,
} from './export.service.ts';
export {
  /** `13 Nov 2025-connection-Production_Webhook-export.zip`: the day in UTC. */
  exportFileName,
} from './export-file-name.ts';
