/**
 * Downloads a connection's export archive without leaving the page (the API answers it as an
 * attachment with the archive's name), as the connections list does.
 */
export function downloadExport(connectionId: string): void {
  const link = document.createElement('a');
  link.href = `/api/v1/connections/${encodeURIComponent(connectionId)}/export`;
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}
