const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `<D Mon YYYY>-connection-<Name>-export.zip`, the day in UTC: the product's own name for an
 * export (seed, "Exporting/Importing Connection": `13 Nov 2025-connection-Production_Webhook-export.zip`).
 * Connection names use only letters, digits, `_ - .`, so the name needs no escaping here.
 */
export function exportFileName(connectionName: string, at: Date): string {
  return `${dayOf(at)}-connection-${connectionName}-export.zip`;
}

/** `13 Nov 2025-connections-3-export.zip`: an archive of several, named as one is. */
export function exportBundleFileName(count: number, at: Date): string {
  return `${dayOf(at)}-connections-${count}-export.zip`;
}

function dayOf(at: Date): string {
  return `${at.getUTCDate()} ${months[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
}
