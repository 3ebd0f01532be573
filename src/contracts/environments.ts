import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { freeText, isoTimestamp, slugId } from './common.ts';

export const environmentKinds = ['development', 'test', 'production'] as const;
export type EnvironmentKind = (typeof environmentKinds)[number];

/** At most this many CIDRs in each of an environment's egress lists. */
export const egressCidrsMax = 256;

/**
 * What is wrong with an egress CIDR, or undefined when it is one: an IPv4 network in
 * dotted-quad form or an IPv6 network, with a prefix length and no host bits set
 * (`10.0.0.1/8` is refused with "did you mean 10.0.0.0/8": a list entry should read as the
 * range it opens or closes).
 */
export function egressCidrProblem(text: string): string | undefined {
  const isV4 = ipaddr.IPv4.isValidCIDRFourPartDecimal(text);
  if (!isV4 && (!ipaddr.IPv6.isValidCIDR(text) || text.includes('%'))) {
    return `'${text.slice(0, 64)}' is not a CIDR: write an address and a prefix length, such as 10.0.0.0/8 or fc00::/7`;
  }
  const [address, prefix] = ipaddr.parseCIDR(text);
  const network = (isV4 ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(text);
  if (network.toNormalizedString() !== address.toNormalizedString()) {
    return `'${text}' has host bits set: did you mean ${network.toString()}/${prefix}?`;
  }
  return undefined;
}

const egressCidr = z.string().superRefine((text, ctx) => {
  const problem = egressCidrProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const egressCidrList = z
  .array(egressCidr)
  .max(egressCidrsMax, { error: `at most ${egressCidrsMax} CIDRs` });

const egressFields = {
  allowCidrs: egressCidrList.describe(
    'CIDRs this environment may reach even when loopback or private ranges are refused; metadata, link-local, unspecified, multicast, broadcast and reserved addresses stay refused',
  ),
  denyCidrs: egressCidrList.describe('CIDRs this environment may not reach; wins over allowCidrs'),
  denyPrivate: z
    .boolean()
    .describe('refuse private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7)'),
};

/** An environment's egress policy (DESIGN.md §2 step 3); loopback follows the kind. */
export const egressIn = z.strictObject({
  allowCidrs: egressFields.allowCidrs.default(() => []),
  denyCidrs: egressFields.denyCidrs.default(() => []),
  denyPrivate: egressFields.denyPrivate.default(false),
});

/** Changes the named fields only; a list is replaced whole (as in a JSON merge patch). */
export const egressPatch = z.strictObject(egressFields).partial();

export const egressOut = z
  .object({
    allowCidrs: z.array(z.string()),
    denyCidrs: z.array(z.string()),
    denyPrivate: z.boolean(),
  })
  .describe(
    'the egress policy: loopback is refused in production-kind environments unless allow-listed; metadata, link-local, unspecified, multicast, broadcast and reserved addresses are always refused',
  );

export type EgressSettings = z.infer<typeof egressOut>;

/** The egress settings of an environment nobody configured: nothing listed, private allowed. */
export function defaultEgress(): EgressSettings {
  return { allowCidrs: [], denyCidrs: [], denyPrivate: false };
}

export const environmentIn = z
  .strictObject({
    id: slugId,
    name: freeText(z.string().trim().min(1).max(100)),
    kind: z.enum(environmentKinds),
    description: freeText(z.string().max(1000)).default(''),
    egress: egressIn.default(defaultEgress),
  })
  .meta({ id: 'EnvironmentIn' });

export const environmentPatch = z
  .strictObject({
    name: freeText(z.string().trim().min(1).max(100)),
    kind: z.enum(environmentKinds),
    description: freeText(z.string().max(1000)),
    egress: egressPatch,
  })
  .partial()
  .meta({ id: 'EnvironmentPatch' });

export const environmentOut = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(environmentKinds),
    description: z.string(),
    egress: egressOut,
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
  })
  .meta({ id: 'Environment' });

export type EnvironmentIn = z.infer<typeof environmentIn>;
export type EnvironmentPatch = z.infer<typeof environmentPatch>;
export type Environment = z.infer<typeof environmentOut>;
