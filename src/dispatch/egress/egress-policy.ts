import ipaddr from 'ipaddr.js';
import type { Environment } from '../../contracts/environments.ts';
import {
  alwaysRefused,
  classifyAddress,
  isInRange,
  unwrapAddress,
  type AddressCategory,
  type AddressClass,
  type IpAddress,
} from './special-ranges.ts';

/** An egress policy as configured (DESIGN.md §2 step 3). */
export interface EgressPolicySettings {
  /** false in production-kind environments: loopback then needs an allow list entry */
  allowLoopback: boolean;
  /** CIDRs opened even when loopback or private ranges are refused */
  allowCidrs?: readonly string[];
  /** CIDRs refused; wins over allowCidrs */
  denyCidrs?: readonly string[];
  /** refuse 10/8, 172.16/12, 192.168/16, 100.64/10 and fc00::/7 unless allow-listed */
  denyPrivate?: boolean;
}

interface Cidr {
  text: string;
  network: IpAddress;
  prefix: number;
}

/** A policy compiled once (CIDRs parsed): what `checkAddress` and the guards take. */
export interface EgressPolicy {
  readonly allowLoopback: boolean;
  readonly denyPrivate: boolean;
  readonly allow: readonly Cidr[];
  readonly deny: readonly Cidr[];
}

/** Why an address is refused: its category, or an entry of the environment's deny list. */
export type RefusalCategory = AddressCategory | 'denyList' | 'notAnAddress';

export type EgressDecision =
  { allowed: true } | { allowed: false; reason: string; range: string; category: RefusalCategory };

/**
 * Parses the CIDR lists once. Throws a TypeError naming the entry when one is not a CIDR
 * (the environment contract validates them first, so stored policies always compile).
 */
export function compileEgressPolicy(settings: EgressPolicySettings): EgressPolicy {
  return Object.freeze({
    allowLoopback: settings.allowLoopback,
    denyPrivate: settings.denyPrivate ?? false,
    allow: Object.freeze((settings.allowCidrs ?? []).map(parseCidr)),
    deny: Object.freeze((settings.denyCidrs ?? []).map(parseCidr)),
  });
}

/**
 * The policy of an environment: its allow/deny lists and denyPrivate, and loopback refused
 * when the environment is production-kind (DESIGN.md §2 step 3).
 */
export function egressPolicyFor(environment: Environment): EgressPolicy {
  return compileEgressPolicy({
    allowLoopback: environment.kind !== 'production',
    allowCidrs: environment.egress.allowCidrs,
    denyCidrs: environment.egress.denyCidrs,
    denyPrivate: environment.egress.denyPrivate,
  });
}

/**
 * Decides one IP address (IPv4-mapped and NAT64 addresses are judged as the IPv4 they carry).
 * Order: always-refused categories (no list opens them) → deny list → allow list → loopback
 * and private rules → allowed.
 */
export function checkAddress(address: string, policy: EgressPolicy): EgressDecision {
  const found = classifyAddress(address);
  if (!found) {
    return { allowed: false, category: 'notAnAddress', range: '', reason: 'not an IP address' };
  }
  const { category, range } = found;
  if (alwaysRefused.has(category)) {
    return refuse(category, range, `${labels[category]} (${range}): always refused`);
  }
  const denied = policy.deny.find((cidr) => coversEitherForm(cidr, found));
  if (denied) {
    return refuse('denyList', denied.text, `in the environment's deny list (${denied.text})`);
  }
  if (policy.allow.some((cidr) => isInRange(found.address, cidr.network, cidr.prefix))) {
    return { allowed: true };
  }
  if (category === 'loopback' && !policy.allowLoopback) {
    return refuse(
      category,
      range,
      `${labels[category]} (${range}): refused in production-kind environments unless allow-listed`,
    );
  }
  if (category === 'private' && policy.denyPrivate) {
    return refuse(
      category,
      range,
      `${labels[category]} (${range}): this environment refuses private ranges unless allow-listed`,
    );
  }
  return { allowed: true };
}

const labels: Record<AddressCategory, string> = {
  metadata: 'cloud metadata address',
  unspecified: 'unspecified address',
  linkLocal: 'link-local address',
  multicast: 'multicast address',
  broadcast: 'broadcast address',
  reserved: 'reserved address',
  loopback: 'loopback address',
  private: 'private address',
  public: 'public address',
};

/**
 * A deny entry covers an address as it is dialled (`::ffff:10.0.0.1` is in 10.0.0.0/8) and as
 * written (`64:ff9b::a00:1` is in a 64:ff9b::/96 entry too). An allow entry only matches the
 * dialled form: `::/0` must not open `::ffff:127.0.0.1` while it leaves 127.0.0.1 refused.
 */
function coversEitherForm(cidr: Cidr, found: AddressClass): boolean {
  return (
    isInRange(found.address, cidr.network, cidr.prefix) ||
    isInRange(found.written, cidr.network, cidr.prefix)
  );
}

function refuse(category: RefusalCategory, range: string, reason: string): EgressDecision {
  return { allowed: false, category, range, reason };
}

function parseCidr(text: string): Cidr {
  let parsed: [IpAddress, number];
  try {
    parsed = ipaddr.parseCIDR(text);
  } catch {
    throw new TypeError(`egress policy: '${text}' is not a CIDR such as 10.0.0.0/8 or fc00::/7`);
  }
  const [network, prefix] = parsed;
  // ::ffff:10.0.0.0/104 means 10.0.0.0/8: addresses are unmapped before they are checked.
  if (network.kind() === 'ipv6' && (network as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
    return { text, network: unwrapAddress(network), prefix: prefix - 96 };
  }
  return { text, network, prefix };
}
