import { domainToASCII } from 'node:url';
import { classifyIp, describeAddress, inNetwork, parseIp, unmapIpv4, type IpValue } from './ip-address-class.js';

/**
 * Where the app may send requests that a user chose the target of (webhooks): public addresses
 * only, over http or https, without credentials in the URL — unless the allow-list names the host
 * or covers the address. Used twice: on the URL when it is given (signup), and on every address a
 * delivery actually connects to, after DNS (see the notifications module's webhook transport).
 *
 * Allow-list entries (WEBHOOK_ALLOWED_HOSTS): an IP address (`127.0.0.1`, `::1`), a CIDR
 * (`10.0.0.0/8`, `fd00::/8`) or a hostname (`hooks.internal`). An address entry allows that
 * address however it is reached (a URL literal or a DNS answer); a hostname entry allows that
 * exact name and trusts whatever its DNS answers.
 */
export class OutboundAddressPolicy {
  private constructor(
    private readonly networks: ReadonlyArray<{ network: IpValue; prefix: number }>,
    private readonly names: ReadonlySet<string>,
  ) {}

  /** Nothing allowed beyond public addresses. */
  static readonly strict = new OutboundAddressPolicy([], new Set());

  /**
   * Parses allow-list entries (an array, or one comma-separated string). A malformed entry
   * throws, naming `source` (the variable it came from) and the entry.
   */
  static allowing(entries: readonly string[] | string, source = 'WEBHOOK_ALLOWED_HOSTS'): OutboundAddressPolicy {
    const list = typeof entries === 'string' ? entries.split(',') : entries;
    const networks: Array<{ network: IpValue; prefix: number }> = [];
    const names = new Set<string>();
    for (const raw of list) {
      const entry = raw.trim();
      if (!entry) continue;
      const parsed = parseEntry(entry);
      if (typeof parsed === 'string') {
        throw new Error(`${source}: '${entry}' ${parsed} (write comma-separated hostnames, IP addresses or CIDRs, e.g. 127.0.0.1,10.0.0.0/8,hooks.internal)`);
      }
      if ('name' in parsed) names.add(parsed.name);
      else networks.push(parsed);
    }
    return new OutboundAddressPolicy(networks, names);
  }

  /** Is this hostname (as in a URL) named by the allow-list? Its DNS answers are then trusted. */
  allowsName(hostname: string): boolean {
    return this.names.has(normaliseName(hostname));
  }

  /** Why the app must not connect to this IP address (standard text form), or undefined when it may. */
  addressProblem(address: string): string | undefined {
    const parsed = parseIp(address);
    if (!parsed) return `${address} is not an IP address`;
    if (this.allowsIp(parsed)) return undefined;
    const addressClass = classifyIp(parsed);
    return addressClass.kind === 'public' ? undefined : describeAddress(address.replace(/^\[|\]$/g, ''), addressClass);
  }

  /**
   * Why a webhook URL is refused before any connection, phrased to follow the field name
   * (`webhookUrl must ...`), or undefined. Checks the scheme, credentials and IP literals in any
   * spelling the WHATWG URL parser accepts (it normalises `0x7f000001`, `127.1`, `017700000001`
   * to dotted decimal). With `judgeNames` (signup), hostnames that are local by definition
   * (`localhost`, `*.local`, `metadata.google.internal`, single labels, ...) are refused too;
   * at delivery the addresses a name resolves to are what counts.
   */
  urlProblem(raw: string, { judgeNames = true }: { judgeNames?: boolean } = {}): string | undefined {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'must be an absolute http:// or https:// URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must use http or https (got ${url.protocol.replace(/:$/, '')})`;
    if (url.username || url.password) return 'must not contain credentials (user:password@); receivers authenticate webhooks by their x-modulith-signature';
    const host = url.hostname;
    if (parseIp(host)) {
      const problem = this.addressProblem(host);
      return problem && `must point to a public address: ${problem}`;
    }
    if (!judgeNames || this.allowsName(host)) return undefined;
    const problem = this.nameProblem(normaliseName(host));
    return problem && `must point to a public address: ${problem}`;
  }

  private nameProblem(name: string): string | undefined {
    if (name === 'localhost' || name.endsWith('.localhost')) {
      // Loopback by definition (RFC 6761): as allowed as the loopback addresses.
      return ['127.0.0.1', '::1'].some((address) => !this.addressProblem(address)) ? undefined : `${name} is a loopback name`;
    }
    if (METADATA_NAMES.has(name)) return `${name} is a cloud metadata name`;
    if (!name.includes('.')) return `${name} is not a fully qualified domain name`;
    const local = LOCAL_SUFFIXES.find((suffix) => name.endsWith(`.${suffix}`));
    if (local) return `${name} is a local name (.${local})`;
    return undefined;
  }

  private allowsIp(address: IpValue): boolean {
    const candidates = [address, unmapIpv4(address)];
    return this.networks.some(({ network, prefix }) => candidates.some((candidate) => inNetwork(candidate, network, prefix)));
  }
}

/** Names that resolve to a cloud's instance metadata service from inside that cloud. */
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** Suffixes reserved or commonly used for names that never leave a local network. */
const LOCAL_SUFFIXES = ['local', 'internal', 'home.arpa', 'localdomain', 'lan', 'intranet', 'corp', 'home'];

function normaliseName(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

function parseEntry(entry: string): { network: IpValue; prefix: number } | { name: string } | string {
  const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
  if (cidr) {
    const network = parseIp(cidr[1]);
    if (!network) return `is not a CIDR: '${cidr[1]}' is not an IP address`;
    const prefix = Number(cidr[2]);
    const bits = network.version === 4 ? 32 : 128;
    if (prefix > bits) return `is not a CIDR: an IPv${network.version} prefix is at most /${bits}`;
    const hostBits = (1n << BigInt(bits - prefix)) - 1n;
    if ((network.value & hostBits) !== 0n) return `is not a CIDR: it has host bits set (did you mean ${networkText(network, prefix)}?)`;
    return { network, prefix };
  }
  const address = parseIp(entry);
  if (address) return { network: address, prefix: address.version === 4 ? 32 : 128 };
  const name = normaliseName(domainToASCII(entry));
  const labels = name.split('.');
  if (!name || name.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return 'is not a hostname, an IP address or a CIDR';
  }
  // WHATWG URL reads a numeric last label as IPv4 (127.1, 0x7f000001): such a "name" is an address.
  if (/^(0x[0-9a-f]*|\d+)$/.test(labels[labels.length - 1])) return 'looks like an IP address in a non-standard spelling: write it in dotted decimal';
  return { name };
}

function networkText(network: IpValue, prefix: number): string {
  const bits = network.version === 4 ? 32 : 128;
  const masked = (network.value >> BigInt(bits - prefix)) << BigInt(bits - prefix);
  if (network.version === 4) return `${[24n, 16n, 8n, 0n].map((shift) => (masked >> shift) & 0xffn).join('.')}/${prefix}`;
  const groups = Array.from({ length: 8 }, (_, index) => ((masked >> BigInt(112 - index * 16)) & 0xffffn).toString(16));
  return `${new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1)}/${prefix}`;
}
