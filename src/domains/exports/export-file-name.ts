const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `<D Mon YYYY>-connection-<Name>-export.zip`, the day in UTC: the product's own name for an
 * export (seed, "Exporting/Importing Connection": `13 Nov 2025-connection-Production_Webhook-export.zip`).
 * Connection names use only letters, digits, `_ - .`, so the name needs no escaping here.
 */
export function exportFileName(connectionName: string, at: Date): string {
  const day = `${at.getUTCDate()} ${months[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
  return `${day}-connection-${connectionName}-export.zip`;
}
