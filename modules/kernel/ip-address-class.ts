import { isIPv4, isIPv6 } from 'node:net';

/**
 * What an IP address reaches. Everything but `public` is refused as an outbound target (webhooks)
 * unless an allow-list names it: these addresses reach the host itself, its network or its cloud.
 */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'metadata'
  | 'reserved';

export interface AddressClass {
  kind: AddressKind;
  /** The special-purpose range it lies in, e.g. `127.0.0.0/8` (absent for public addresses). */
  range?: string;
  /** What the range is, or how the address embeds an IPv4 one, e.g. `carrier-grade NAT`. */
  note?: string;
}

/** An address as an integer: 32 bits (IPv4) or 128 bits (IPv6). */
export interface IpValue {
  version: 4 | 6;
  value: bigint;
}

/**
 * Parses an IP address in its standard text form only: dotted decimal IPv4, or IPv6 (brackets
 * and a `%zone` allowed). Other spellings (`0x7f000001`, `127.1`, `0177.0.0.1`) are undefined:
 * normalise URLs with the WHATWG URL parser first, which turns them into dotted decimal.
 */
export function parseIp(text: string): IpValue | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(bare)) return { version: 4, value: ipv4Value(bare) };
  const withoutZone = bare.replace(/%.*$/, '');
  if (isIPv6(withoutZone)) return { version: 6, value: ipv6Value(withoutZone) };
  return undefined;
}

/** Does `address` lie in `network`/`prefix` (same IP version)? */
export function inNetwork(address: IpValue, network: IpValue, prefix: number): boolean {
  if (address.version !== network.version) return false;
  const shift = BigInt((address.version === 4 ? 32 : 128) - prefix);
  return address.value >> shift === network.value >> shift;
}

/** An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) as the IPv4 address it is; anything else unchanged. */
export function unmapIpv4(address: IpValue): IpValue {
  if (address.version === 6 && address.value >> 32n === 0xffffn) return { version: 4, value: address.value & 0xffff_ffffn };
  return address;
}

/** The class of an address in standard text form; undefined when `text` is not an IP address. */
export function classifyAddress(text: string): AddressClass | undefined {
  const address = parseIp(text);
  return address && classifyIp(address);
}

export function classifyIp(address: IpValue): AddressClass {
  if (address.version === 4) return classifyIpv4(address);
  for (const embedding of IPV6_EMBEDDINGS) {
    if (!inNetwork(address, embedding.network, embedding.prefix)) continue;
    const ipv4: IpValue = { version: 4, value: (address.value >> BigInt(embedding.shift)) & 0xffff_ffffn };
    const inner = classifyIpv4(ipv4);
    if (inner.kind === 'public') return inner;
    return { ...inner, note: [`${embedding.name} ${formatIpv4(ipv4.value)}`, inner.note].filter(Boolean).join(', ') };
  }
  const special = IPV6_RANGES.find((range) => inNetwork(address, range.network, range.prefix));
  if (special) return describe(special);
  // Only global unicast (2000::/3) reaches the internet; the rest is unassigned or special.
  if (!inNetwork(address, GLOBAL_UNICAST.network, GLOBAL_UNICAST.prefix)) return { kind: 'reserved', note: 'outside global unicast, 2000::/3' };
  return { kind: 'public' };
}

function classifyIpv4(address: IpValue): AddressClass {
  const special = IPV4_RANGES.find((range) => inNetwork(address, range.network, range.prefix));
  return special ? describe(special) : { kind: 'public' };
}

/** `127.0.0.1 is a loopback address (127.0.0.0/8)`: the reason an address is refused. */
export function describeAddress(text: string, addressClass: AddressClass): string {
  const article = addressClass.kind === 'unspecified' ? 'an' : 'a';
  const details = [addressClass.range, addressClass.note].filter(Boolean).join(': ');
  return `${text} is ${article} ${addressClass.kind} address${details ? ` (${details})` : ''}`;
}

interface Range {
  cidr: string;
  network: IpValue;
  prefix: number;
  kind: Exclude<AddressKind, 'public'>;
  note?: string;
}

function range(cidr: string, kind: Range['kind'], note?: string): Range {
  const [address, prefix] = cidr.split('/');
  return { cidr, network: parseIp(address)!, prefix: Number(prefix), kind, note };
}

function describe(special: Range): AddressClass {
  return { kind: special.kind, range: special.cidr, ...(special.note ? { note: special.note } : {}) };
}

// First match wins: the single metadata addresses come before the ranges holding them.
const IPV4_RANGES: Range[] = [
  range('169.254.169.254/32', 'metadata', 'the instance metadata service of AWS, GCP, Azure, OpenStack and Oracle Cloud'),
  range('169.254.170.2/32', 'metadata', 'AWS ECS task metadata'),
  range('169.254.170.23/32', 'metadata', 'AWS EKS pod identity'),
  range('100.100.100.200/32', 'metadata', 'Alibaba Cloud instance metadata'),
  range('0.0.0.0/32', 'unspecified'),
  range('0.0.0.0/8', 'unspecified', '"this network"'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'private', 'carrier-grade NAT'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'reserved', 'IETF protocol assignments'),
  range('192.0.2.0/24', 'reserved', 'documentation'),
  range('192.88.99.0/24', 'reserved', '6to4 relay anycast'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'reserved', 'benchmarking'),
  range('198.51.100.0/24', 'reserved', 'documentation'),
  range('203.0.113.0/24', 'reserved', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('255.255.255.255/32', 'broadcast'),
  range('240.0.0.0/4', 'reserved', 'future use'),
];

const IPV6_RANGES: Range[] = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('fd00:ec2::254/128', 'metadata', 'AWS instance metadata over IPv6'),
  range('64:ff9b:1::/48', 'private', 'local-use NAT64'),
  range('2001:db8::/32', 'reserved', 'documentation'),
  range('2001::/23', 'reserved', 'IETF protocol assignments, Teredo included'),
  range('3fff::/20', 'reserved', 'documentation'),
  range('fc00::/7', 'unique-local'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'private', 'site-local, deprecated'),
  range('ff00::/8', 'multicast'),
];

const GLOBAL_UNICAST = range('2000::/3', 'reserved');

/** IPv6 ranges whose addresses carry an IPv4 address that decides where they go. */
const IPV6_EMBEDDINGS = [
  { name: 'IPv4-mapped', ...range('::ffff:0:0/96', 'reserved'), shift: 0 },
  { name: 'NAT64 of', ...range('64:ff9b::/96', 'reserved'), shift: 0 },
  { name: '6to4 of', ...range('2002::/16', 'reserved'), shift: 80 },
];

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function ipv6Value(text: string): bigint {
  const groups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const ipv4 = Number(ipv4Value(group));
          return [ipv4 >>> 16, ipv4 & 0xffff];
        });
  const gap = text.indexOf('::');
  const head = groups(gap === -1 ? text : text.slice(0, gap));
  const tail = gap === -1 ? [] : groups(text.slice(gap + 2));
  const all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return all.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}
