/** A host name longer than DNS allows (253) is cut in the message: it is shown to users. */
const maxHostChars = 253;

/**
 * The egress policy refused the address a request would reach (outcome EGRESS_BLOCKED).
 * Raised before dispatch for an IP-literal host, and inside the connector's DNS lookup for
 * a host name, where net/tls and undici hand this very object to the request's rejection.
 *
 * The message names the host (what the user configured) and the reason with the range that
 * decided it, but not the resolved address: a refusal must not turn Test Connection into a
 * way to read the internal DNS. The address is kept on `address` for logs.
 */
export class EgressBlockedError extends Error {
  readonly code = 'EGRESS_BLOCKED';
  /** the host name or IP literal of the URL */
  readonly host: string;
  /** the IP address that was refused (what would have been dialled) */
  readonly address: string;
  /** why, user-safe: `loopback address (127.0.0.0/8): refused in production-kind …` */
  readonly reason: string;
  /** the CIDR that decided it ('' when the address was not an IP address at all) */
  readonly range: string;

  constructor(host: string, address: string, reason: string, range = '') {
    const shown = host.length > maxHostChars ? `${host.slice(0, maxHostChars)}…` : host;
    super(`the egress policy refuses '${shown}': ${reason}`);
    this.name = 'EgressBlockedError';
    this.host = host;
    this.address = address;
    this.reason = reason;
    this.range = range;
  }
}
