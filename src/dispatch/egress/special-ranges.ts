import ipaddr from 'ipaddr.js';

/** What an address is, as far as the egress policy cares (DESIGN.md §2 step 3). */
export type AddressCategory =
  | 'metadata'
  | 'unspecified'
  | 'linkLocal'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'loopback'
  | 'private'
  | 'public';

/** Categories no policy can open: an allow list entry does not reach them. */
export const alwaysRefused: ReadonlySet<AddressCategory> = new Set([
  'metadata',
  'unspecified',
  'linkLocal',
  'multicast',
  'broadcast',
  'reserved',
]);

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

export interface AddressClass {
  category: AddressCategory;
  /** the CIDR that decided it, e.g. `127.0.0.0/8`; `0.0.0.0/0` or `2000::/3` for public */
  range: string;
  /** the address classified: IPv4-mapped and NAT64 addresses become the IPv4 they carry */
  address: IpAddress;
  /** the address as written (differs from `address` for IPv4-mapped and NAT64 ones) */
  written: IpAddress;
}

/**
 * The special-purpose ranges (IANA IPv4/IPv6 Special-Purpose Address Registries), most
 * specific first at lookup. Our own table rather than ipaddr.js's `range()` names: the
 * decision is a security boundary, so every row is visible here and cannot change with a
 * library update.
 */
const table: ReadonlyArray<readonly [string, AddressCategory]> = [
  // Cloud metadata services hand out credentials: the classic SSRF prize.
  ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OCI, DigitalOcean, OpenStack
  ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
  ['168.63.129.16/32', 'metadata'], // Azure WireServer (a public address, serves VM config)
  ['fd00:ec2::254/128', 'metadata'], // AWS IMDS over IPv6
  // Linux dials 0.0.0.0 (and ::) as the local host, so "unspecified" reaches loopback.
  ['0.0.0.0/8', 'unspecified'],
  ['::/128', 'unspecified'],
  ['127.0.0.0/8', 'loopback'],
  ['::1/128', 'loopback'],
  ['169.254.0.0/16', 'linkLocal'],
  ['fe80::/10', 'linkLocal'],
  ['224.0.0.0/4', 'multicast'],
  ['ff00::/8', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  // Carrier-grade NAT (RFC 6598): counted as private, not reserved. Tailscale, some
  // Kubernetes and cloud VPC set-ups put internal targets here, and internal targets are a
  // core use (DESIGN §2); an environment that wants it closed sets denyPrivate or denies the
  // CIDR. The Alibaba metadata address inside it is refused by its own row above.
  ['100.64.0.0/10', 'private'],
  ['fc00::/7', 'private'], // unique local addresses
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments (incl. OCI's 192.0.0.192)
  ['192.0.2.0/24', 'reserved'], // TEST-NET-1
  ['192.88.99.0/24', 'reserved'], // 6to4 relay anycast, deprecated (RFC 7526)
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'reserved'], // TEST-NET-2
  ['203.0.113.0/24', 'reserved'], // TEST-NET-3
  ['240.0.0.0/4', 'reserved'], // class E
  ['2001::/23', 'reserved'], // IETF protocol assignments: Teredo, benchmarking, ORCHID…
  ['2001:db8::/32', 'reserved'], // documentation
  ['2002::/16', 'reserved'], // 6to4, deprecated; embeds IPv4 relays
  ['3fff::/20', 'reserved'], // documentation (RFC 9637)
  ['fec0::/10', 'reserved'], // site-local, deprecated (RFC 3879)
  ['64:ff9b:1::/48', 'reserved'], // local-use NAT64 (RFC 8215): embedding depends on the site
  // Everything outside 2000::/3 that no row above names is "Reserved by IETF" in the IANA
  // IPv6 Address Space registry (100::/64 discard, 5f00::/16 segment routing, …).
  ['::/8', 'reserved'],
  ['100::/8', 'reserved'],
  ['200::/7', 'reserved'],
  ['400::/6', 'reserved'],
  ['800::/5', 'reserved'],
  ['1000::/4', 'reserved'],
  ['4000::/3', 'reserved'],
  ['6000::/3', 'reserved'],
  ['8000::/3', 'reserved'],
  ['a000::/3', 'reserved'],
  ['c000::/3', 'reserved'],
  ['e000::/4', 'reserved'],
  ['f000::/5', 'reserved'],
  ['f800::/6', 'reserved'],
  ['fe00::/9', 'reserved'],
];

interface Row {
  network: IpAddress;
  prefix: number;
  text: string;
  category: AddressCategory;
}

// Longest prefix first, so a /32 metadata row wins over the /16 link-local row around it.
const rows: readonly Row[] = table
  .map(([text, category]) => {
    const [network, prefix] = ipaddr.parseCIDR(text);
    return { network, prefix, text, category };
  })
  .sort((a, b) => b.prefix - a.prefix);

const nat64 = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * The address a decision is about: an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is
 * dialled as its IPv4 address by the kernel, and a well-known-prefix NAT64 address
 * (`64:ff9b::7f00:1`, RFC 6052) is translated to it by the gateway, so both are judged as
 * that IPv4 address.
 */
export function unwrapAddress(address: IpAddress): IpAddress {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  if (v6.match(nat64)) {
    const bytes = v6.toByteArray().slice(12);
    return new ipaddr.IPv4(bytes);
  }
  return v6;
}

/** True when `address` lies in `network/prefix` (false across IPv4/IPv6). */
export function isInRange(address: IpAddress, network: IpAddress, prefix: number): boolean {
  return address.kind() === network.kind() && address.match(network, prefix);
}

/**
 * Classifies an IP address text (as a resolver or `new URL()` gives it). Undefined when the
 * text is no IP address at all.
 */
export function classifyAddress(text: string): AddressClass | undefined {
  let parsed: IpAddress;
  try {
    parsed = ipaddr.parse(text);
  } catch {
    return undefined;
  }
  const address = unwrapAddress(parsed);
  for (const row of rows) {
    if (isInRange(address, row.network, row.prefix)) {
      return { category: row.category, range: row.text, address, written: parsed };
    }
  }
  // IPv6 outside the rows is global unicast (2000::/3): the reserved rows cover the rest.
  return {
    category: 'public',
    range: address.kind() === 'ipv4' ? '0.0.0.0/0' : '2000::/3',
    address,
    written: parsed,
  };
}
