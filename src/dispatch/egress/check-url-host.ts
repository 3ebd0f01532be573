import { isIP } from 'node:net';
import { checkAddress, type EgressDecision, type EgressPolicy } from './egress-policy.ts';

/**
 * The egress decision for a URL whose host is an IP literal; null for a host name (the
 * guarded lookup decides those at connect time, on the address it resolves).
 *
 * Needed because net.connect never calls `lookup` for an IP-literal host, so the connect-time
 * guard never sees `http://[::1]/`. `new URL()` has already normalised every IPv4 spelling
 * (`2130706433`, `0x7f.1`, `017700000001` → `127.0.0.1`) and IPv6 (`[::ffff:127.0.0.1]` →
 * `[::ffff:7f00:1]`); what remains is the brackets, and IPv4-mapped addresses, which
 * `checkAddress` judges as the IPv4 address they carry.
 */
export function checkUrlHost(url: URL, policy: EgressPolicy): EgressDecision | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  // net.isIP is exactly the test net.connect uses to skip the lookup
  return isIP(host) === 0 ? null : checkAddress(host, policy);
}
