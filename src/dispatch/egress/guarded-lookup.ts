import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { EgressBlockedError } from './egress-blocked-error.ts';
import { checkAddress, type EgressPolicy } from './egress-policy.ts';

type LookupCallback = Parameters<LookupFunction>[2];

/**
 * A `lookup` for net.connect / tls.connect (undici passes its `connect.lookup` option through
 * to them) that resolves the name and refuses, with an EgressBlockedError, when the policy
 * refuses an address. The check runs on the very answer the socket dials, so a name that
 * resolves to a public address when a URL is saved and to 127.0.0.1 when it is called (DNS
 * rebinding) is still refused.
 *
 * It always resolves every address (`all: true`) and refuses the whole answer if any one
 * address is refused:
 * - net's happy-eyeballs (autoSelectFamily, on by default) dials the next address when one
 *   fails, so an attacker who serves `[public, 127.0.0.1]` and makes the public one refuse
 *   the connection would otherwise reach loopback through the fallback;
 * - with round-robin DNS, dropping only the refused addresses would make a call succeed or
 *   fail by the order of the answer; refusing all gives the same outcome every time, and a
 *   name that mixes public and internal addresses is misconfigured or hostile anyway.
 */
export function createGuardedLookup(
  policy: EgressPolicy,
  lookup: LookupFunction = dnsLookup as LookupFunction,
): LookupFunction {
  return (hostname, options, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true }, (error, answer, answerFamily) => {
      if (error) {
        callback(error, '');
        return;
      }
      const addresses: LookupAddress[] = Array.isArray(answer)
        ? answer
        : [{ address: answer, family: answerFamily ?? 0 }];
      const first = addresses[0];
      if (!first) {
        callback(notFound(hostname), '');
        return;
      }
      for (const { address } of addresses) {
        const decision = checkAddress(address, policy);
        if (!decision.allowed) {
          callback(new EgressBlockedError(hostname, address, decision.reason, decision.range), '');
          return;
        }
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

/** What dns.lookup answers for a name without addresses; classified as DNS_FAILED. */
function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    syscall: 'getaddrinfo',
    hostname,
  });
}
