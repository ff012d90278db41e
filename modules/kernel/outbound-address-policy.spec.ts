import { describe, expect, it } from '@jest/globals';
import { classifyAddress, type AddressKind } from './ip-address-class.js';
import { OutboundAddressPolicy } from './outbound-address-policy.js';

describe('classifyAddress', () => {
  it.each<[string, AddressKind, string?]>([
    // IPv4
    ['127.0.0.1', 'loopback', '127.0.0.0/8'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private', '10.0.0.0/8'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private', '172.16.0.0/12'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private', '192.168.0.0/16'],
    ['100.64.0.1', 'private', '100.64.0.0/10'],
    ['100.127.255.255', 'private'],
    ['169.254.0.1', 'link-local', '169.254.0.0/16'],
    ['169.254.169.254', 'metadata', '169.254.169.254/32'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified', '0.0.0.0/8'],
    ['224.0.0.1', 'multicast', '224.0.0.0/4'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    // IPv6
    ['::1', 'loopback', '::1/128'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local', 'fe80::/10'],
    ['febf::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local', 'fc00::/7'],
    ['fd12:3456::1', 'unique-local'],
    ['fd00:ec2::254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['::127.0.0.1', 'reserved'], // IPv4-compatible, deprecated
    ['100::1', 'reserved'],
    // IPv6 carrying an IPv4 address: classified by the IPv4 address
    ['::ffff:127.0.0.1', 'loopback', 'IPv4-mapped 127.0.0.1'],
    ['::ffff:7f00:1', 'loopback', 'IPv4-mapped 127.0.0.1'],
    ['0:0:0:0:0:ffff:a00:1', 'private', 'IPv4-mapped 10.0.0.1'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['64:ff9b::7f00:1', 'loopback', 'NAT64 of 127.0.0.1'],
    ['2002:a9fe:a9fe::1', 'metadata', '6to4 of 169.254.169.254'],
    // public
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['169.255.0.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::808:808', 'public'],
  ])('%s is %s', (address, kind, ...detailed) => {
    // (a rest parameter: rows without a detail must not hand Jest a `done` callback)
    const [detail] = detailed;
    const addressClass = classifyAddress(address);
    expect(addressClass?.kind).toBe(kind);
    if (detail) expect(`${addressClass?.range} ${addressClass?.note}`).toContain(detail);
  });

  it('reads only standard spellings (URLs are normalised by the WHATWG parser first)', () => {
    for (const text of ['0x7f000001', '2130706433', '127.1', '0177.0.0.1', 'localhost', '', '1.2.3.4.5']) expect(classifyAddress(text)).toBeUndefined();
  });
});

describe('OutboundAddressPolicy.urlProblem', () => {
  const strict = OutboundAddressPolicy.strict;

  it.each([
    // the list
    ['http://127.0.0.1:22/', '127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a metadata address'],
    ['http://10.0.0.1/', '10.0.0.1 is a private address (10.0.0.0/8)'],
    ['http://0x7f000001/', '127.0.0.1 is a loopback address'],
    ['http://[::1]/', '::1 is a loopback address'],
    ['http://0.0.0.0/', '0.0.0.0 is an unspecified address'],
    // numeric spellings of 127.0.0.1: hex, octal, a single decimal, short forms
    ['http://017700000001/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://127.1/', '127.0.0.1 is a loopback address'],
    ['http://127.0.1/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://0x7f.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://0x7F.1/', '127.0.0.1 is a loopback address'],
    ['http://127.0.0.1./', '127.0.0.1 is a loopback address'],
    ['http://%31%32%37.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://\uff10x7f000001/', '127.0.0.1 is a loopback address'], // fullwidth digits
    ['http://0/', '0.0.0.0 is an unspecified address'],
    ['http://0x0/', '0.0.0.0 is an unspecified address'],
    ['http://0xa9fea9fe/', '169.254.169.254 is a metadata address'],
    ['http://2852039166/', '169.254.169.254 is a metadata address'],
    ['http://012.1/', '10.0.0.1 is a private address'],
    // IPv6 forms
    ['http://[0:0:0:0:0:0:0:1]/', '::1 is a loopback address'],
    ['http://[::]/', ':: is an unspecified address'],
    ['http://[::ffff:127.0.0.1]/', 'loopback address (127.0.0.0/8: IPv4-mapped 127.0.0.1)'],
    ['http://[::ffff:7f00:1]/', 'loopback address (127.0.0.0/8: IPv4-mapped 127.0.0.1)'],
    ['http://[::ffff:169.254.169.254]/', 'metadata address'],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
    ['http://[fd00::1]/', 'fd00::1 is a unique-local address'],
    ['http://[fd00:ec2::254]/', 'metadata address'],
    ['http://[ff02::1]/', 'multicast address'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'metadata address'],
    // the other ranges
    ['http://172.16.0.1/', 'private address (172.16.0.0/12)'],
    ['http://192.168.1.1/', 'private address (192.168.0.0/16)'],
    ['http://100.64.0.1/', 'private address (100.64.0.0/10: carrier-grade NAT)'],
    ['http://169.254.1.1/', 'link-local address (169.254.0.0/16)'],
    ['http://224.0.0.1/', 'multicast address (224.0.0.0/4)'],
    ['http://255.255.255.255/', 'broadcast address'],
    ['https://127.0.0.1:8443/hooks', 'loopback address'],
    // names that are local by definition
    ['http://localhost/', 'localhost is a loopback name'],
    ['http://LOCALHOST./', 'localhost is a loopback name'],
    ['http://hooks.localhost/', 'hooks.localhost is a loopback name'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal is a cloud metadata name'],
    ['http://metadata/', 'metadata is a cloud metadata name'],
    ['http://redis:6379/', 'redis is not a fully qualified domain name'],
    ['http://printer.local/', 'printer.local is a local name (.local)'],
    ['http://api.internal/', 'api.internal is a local name (.internal)'],
  ])('refuses %s: %s', (url, reason) => {
    expect(strict.urlProblem(url)).toContain(reason);
    expect(strict.urlProblem(url)).toMatch(/^must point to a public address: /);
  });

  it.each([
    ['http://user:pass@hooks.example.com/', 'must not contain credentials'],
    ['https://user@hooks.example.com/', 'must not contain credentials'],
    ['https://:secret@hooks.example.com/', 'must not contain credentials'],
    ['ftp://hooks.example.com/', 'must use http or https (got ftp)'],
    ['file:///etc/passwd', 'must use http or https (got file)'],
    ['gopher://127.0.0.1:6379/_INFO', 'must use http or https (got gopher)'],
    ['javascript:alert(1)', 'must use http or https (got javascript)'],
    ['not a url', 'must be an absolute http:// or https:// URL'],
    ['/relative/path', 'must be an absolute http:// or https:// URL'],
    ['http://[fe80::1%25eth0]/', 'must be an absolute http:// or https:// URL'],
    ['', 'must be an absolute http:// or https:// URL'],
  ])('refuses %s: %s', (url, reason) => {
    expect(strict.urlProblem(url)).toContain(reason);
  });

  it.each([
    'https://hooks.example.com/x?token=1',
    'http://hooks.example.com:8080/',
    'http://8.8.8.8/',
    'http://172.32.0.1/',
    'http://[2606:4700:4700::1111]/',
    'http://[::ffff:8.8.8.8]/',
    'HTTPS://HOOKS.EXAMPLE.COM./',
    // the WHATWG parser reads this as host example.com with path /@127.0.0.1/ (and so does delivery)
    'http://example.com\\@127.0.0.1/',
  ])('accepts %s', (url) => {
    expect(strict.urlProblem(url)).toBeUndefined();
  });

  it('leaves names to the connection at delivery (judgeNames: false): only the addresses a name resolves to count there', () => {
    expect(strict.urlProblem('http://localhost/', { judgeNames: false })).toBeUndefined();
    expect(strict.urlProblem('http://redis/', { judgeNames: false })).toBeUndefined();
    expect(strict.urlProblem('http://127.1/', { judgeNames: false })).toContain('loopback address');
    expect(strict.urlProblem('http://u:p@hooks.example.com/', { judgeNames: false })).toContain('credentials');
  });
});

describe('OutboundAddressPolicy.allowing (WEBHOOK_ALLOWED_HOSTS)', () => {
  it('allows the listed addresses, networks and names, and nothing else', () => {
    const policy = OutboundAddressPolicy.allowing('127.0.0.1, 10.0.0.0/8 ,fd00::/8,hooks.internal,[::1]');
    expect(policy.urlProblem('http://127.0.0.1:22/')).toBeUndefined();
    expect(policy.urlProblem('http://0x7f000001/')).toBeUndefined(); // the same address, however spelled
    expect(policy.urlProblem('http://[::ffff:127.0.0.1]/')).toBeUndefined(); // IPv4-mapped: the same address
    expect(policy.urlProblem('http://127.0.0.2/')).toContain('loopback');
    expect(policy.urlProblem('http://10.200.0.1/')).toBeUndefined();
    expect(policy.urlProblem('http://11.0.0.1/')).toBeUndefined(); // public anyway
    expect(policy.urlProblem('http://192.168.0.1/')).toContain('private');
    expect(policy.urlProblem('http://[fd00::1]/')).toBeUndefined();
    expect(policy.urlProblem('http://[fc00::1]/')).toContain('unique-local');
    expect(policy.urlProblem('http://[::1]/')).toBeUndefined();
    expect(policy.urlProblem('http://hooks.internal/')).toBeUndefined();
    expect(policy.urlProblem('http://HOOKS.internal./')).toBeUndefined();
    expect(policy.urlProblem('http://other.internal/')).toContain('local name');
    expect(policy.urlProblem('http://169.254.169.254/')).toContain('metadata');
    expect(policy.urlProblem('http://user:pass@hooks.internal/')).toContain('credentials'); // allowed hosts still take no credentials
    expect(policy.allowsName('hooks.internal')).toBe(true);
    expect(policy.allowsName('hooks.internal.evil.com')).toBe(false);
    expect(policy.addressProblem('10.1.2.3')).toBeUndefined();
    expect(policy.addressProblem('::ffff:10.1.2.3')).toBeUndefined();
    expect(policy.addressProblem('192.168.0.1')).toContain('192.168.0.1 is a private address');
  });

  it('treats localhost as its loopback addresses: allowed when 127.0.0.1 or ::1 is, or by name', () => {
    expect(OutboundAddressPolicy.allowing(['127.0.0.1']).urlProblem('http://localhost:3000/')).toBeUndefined();
    expect(OutboundAddressPolicy.allowing(['::1']).urlProblem('http://localhost:3000/')).toBeUndefined();
    expect(OutboundAddressPolicy.allowing(['localhost']).urlProblem('http://localhost:3000/')).toBeUndefined();
    expect(OutboundAddressPolicy.allowing(['localhost']).urlProblem('http://127.0.0.1:3000/')).toContain('loopback');
    expect(OutboundAddressPolicy.allowing(['10.0.0.0/8']).urlProblem('http://localhost:3000/')).toContain('loopback name');
  });

  it('ignores empty entries and an unset variable', () => {
    expect(OutboundAddressPolicy.allowing('').urlProblem('http://127.0.0.1/')).toContain('loopback');
    expect(OutboundAddressPolicy.allowing(' , ').urlProblem('http://127.0.0.1/')).toContain('loopback');
    expect(OutboundAddressPolicy.allowing([]).urlProblem('http://127.0.0.1/')).toContain('loopback');
  });

  it.each([
    ['http://hooks.internal', 'is not a hostname, an IP address or a CIDR'],
    ['hooks.internal:8080', 'is not a hostname, an IP address or a CIDR'],
    ['*.internal', 'is not a hostname, an IP address or a CIDR'],
    ['hooks..internal', 'is not a hostname, an IP address or a CIDR'],
    ['-hooks.internal', 'is not a hostname, an IP address or a CIDR'],
    ['10.0.0.1/8', 'has host bits set (did you mean 10.0.0.0/8?)'],
    ['fd00::1/8', 'has host bits set (did you mean fd00::/8?)'],
    ['10.0.0.0/33', 'an IPv4 prefix is at most /32'],
    ['10.0.0/8', "'10.0.0' is not an IP address"],
    ['0x7f000001', 'non-standard spelling'],
    ['127.1', 'non-standard spelling'],
    ['2130706433', 'non-standard spelling'],
    ['256.1.1.1', 'is not a hostname, an IP address or a CIDR'],
  ])('refuses the entry %s, naming the variable', (entry, reason) => {
    expect(() => OutboundAddressPolicy.allowing(`127.0.0.1,${entry}`)).toThrow(`WEBHOOK_ALLOWED_HOSTS: '${entry}' `);
    expect(() => OutboundAddressPolicy.allowing(`127.0.0.1,${entry}`)).toThrow(reason);
    expect(() => OutboundAddressPolicy.allowing([entry], 'SOME_VARIABLE')).toThrow('SOME_VARIABLE');
  });
});
