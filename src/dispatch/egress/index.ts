/** The egress policy of the outbound runtime (DESIGN.md §2 step 3). */
export {
  /** Parses an egress policy's CIDR lists once. */
  compileEgressPolicy,
  /** The policy of an environment (loopback refused when it is production-kind). */
  egressPolicyFor,
  /** Decides one IP address against a compiled policy. */
  checkAddress,
  type EgressDecision,
  type EgressPolicy,
  type EgressPolicySettings,
  type RefusalCategory,
} from './egress-policy.ts';
/** The decision for an IP-literal URL host; null for a host name. */
export { checkUrlHost } from './check-url-host.ts';
/** A net/tls `lookup` that refuses names resolving to refused addresses. */
export { createGuardedLookup } from './guarded-lookup.ts';
/** The error (code EGRESS_BLOCKED) a refused address raises. */
export { EgressBlockedError } from './egress-blocked-error.ts';
export { classifyAddress, type AddressCategory, type AddressClass } from './special-ranges.ts';
