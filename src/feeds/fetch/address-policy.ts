import ipaddr from 'ipaddr.js';

/**
 * The SSRF guard's decision, as a pure function: may the bot open a
 * connection to this IP address? Only globally routable unicast addresses
 * are public; everything else (loopback, private, link-local, CGNAT,
 * multicast, documentation, reserved...) is refused.
 *
 * Every written form is first brought to one canonical form by the same
 * WHATWG URL host parser undici uses to connect, so `2130706433`,
 * `0x7f000001`, `0177.0.0.1`, `127.1` and `127.0.0.1` are all the same
 * loopback address here. IPv6 addresses that carry an IPv4 address
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are judged by that address.
 */

export type AddressVerdict =
  | { public: true; address: string }
  | { public: false; address?: string; range: string };

type Cidr<T> = [T, number];

const v4 = (cidr: string): Cidr<ipaddr.IPv4> => ipaddr.IPv4.parseCIDR(cidr);
const v6 = (cidr: string): Cidr<ipaddr.IPv6> => ipaddr.IPv6.parseCIDR(cidr);

/** IANA IPv4 special-purpose registry: none of these is a public web server. */
const IPV4_REFUSED: ReadonlyArray<[string, Cidr<ipaddr.IPv4>]> = [
  ['unspecified', v4('0.0.0.0/8')],
  ['private', v4('10.0.0.0/8')],
  ['carrier-grade NAT', v4('100.64.0.0/10')],
  ['loopback', v4('127.0.0.0/8')],
  ['link-local', v4('169.254.0.0/16')],
  ['private', v4('172.16.0.0/12')],
  ['IETF protocol assignments', v4('192.0.0.0/24')],
  ['documentation', v4('192.0.2.0/24')],
  ['6to4 relay anycast', v4('192.88.99.0/24')],
  ['private', v4('192.168.0.0/16')],
  ['benchmarking', v4('198.18.0.0/15')],
  ['documentation', v4('198.51.100.0/24')],
  ['documentation', v4('203.0.113.0/24')],
  ['multicast', v4('224.0.0.0/4')],
  ['reserved', v4('240.0.0.0/4')], // includes 255.255.255.255, the broadcast address
];

/** Only global unicast (2000::/3) can be public; these parts of it are not. */
const IPV6_GLOBAL_UNICAST = v6('2000::/3');
const IPV6_REFUSED_INSIDE_GLOBAL: ReadonlyArray<[string, Cidr<ipaddr.IPv6>]> = [
  ['IETF protocol assignments', v6('2001::/23')], // Teredo, ORCHID, benchmarking...
  ['documentation', v6('2001:db8::/32')],
  ['documentation', v6('3fff::/20')],
];
/** Named ranges outside 2000::/3, so a refusal says what the address is. */
const IPV6_NAMED: ReadonlyArray<[string, Cidr<ipaddr.IPv6>]> = [
  ['unspecified', v6('::/128')],
  ['loopback', v6('::1/128')],
  ['local-use NAT64', v6('64:ff9b:1::/48')],
  ['discard-only', v6('100::/64')],
  ['unique local', v6('fc00::/7')],
  ['link-local', v6('fe80::/10')],
  ['site-local', v6('fec0::/10')],
  ['multicast', v6('ff00::/8')],
];
/** Prefixes whose low 32 bits are an IPv4 address that decides. */
const IPV6_EMBEDDING_IPV4_LOW: ReadonlyArray<Cidr<ipaddr.IPv6>> = [
  v6('::ffff:0:0/96'), // IPv4-mapped
  v6('::/96'), // IPv4-compatible (deprecated)
  v6('64:ff9b::/96'), // NAT64 well-known prefix
  v6('::ffff:0:0:0/96'), // SIIT translated addresses
];
const IPV6_6TO4 = v6('2002::/16');

/**
 * Parses an IP address in any written form; undefined when the text is
 * not an IP address at all (a host name, garbage).
 */
export function parseIpAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  let host = text.trim();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.includes(':')) {
    const zone = host.indexOf('%');
    if (zone >= 0) host = host.slice(0, zone); // fe80::1%eth0: the zone does not change the range
    if (/[^0-9a-fA-F:.]/.test(host)) return undefined;
    let canonical: string;
    try {
      // The URL parser turns embedded dotted IPv4 (`64:ff9b::127.0.0.1`) into hex groups.
      canonical = new URL(`http://[${host}]/`).hostname.slice(1, -1);
    } catch {
      return undefined;
    }
    return ipaddr.IPv6.isValid(canonical) ? ipaddr.IPv6.parse(canonical) : undefined;
  }
  if (host === '' || /[^0-9a-zA-Z.]/.test(host)) return undefined;
  let canonical: string;
  try {
    canonical = new URL(`http://${host}/`).hostname;
  } catch {
    return undefined; // e.g. 256.1.1.1 or 1.2.3.4.5: not an address, and not connectable either
  }
  return ipaddr.IPv4.isValidFourPartDecimal(canonical) ? ipaddr.IPv4.parse(canonical) : undefined;
}

function judgeIpv4(address: ipaddr.IPv4): AddressVerdict {
  const text = address.toString();
  for (const [range, cidr] of IPV4_REFUSED) {
    if (address.match(cidr)) return { public: false, address: text, range };
  }
  return { public: true, address: text };
}

function judgeIpv6(address: ipaddr.IPv6): AddressVerdict {
  const text = address.toString();
  for (const [range, cidr] of IPV6_NAMED) {
    if (address.match(cidr)) return { public: false, address: text, range };
  }
  for (const prefix of IPV6_EMBEDDING_IPV4_LOW) {
    if (address.match(prefix)) {
      const parts = address.parts;
      const embedded = new ipaddr.IPv4([parts[6]! >> 8, parts[6]! & 0xff, parts[7]! >> 8, parts[7]! & 0xff]);
      const inner = judgeIpv4(embedded);
      return inner.public ? { public: true, address: text } : { public: false, address: text, range: `${inner.range} (embedded IPv4)` };
    }
  }
  if (address.match(IPV6_6TO4)) {
    const parts = address.parts;
    const embedded = new ipaddr.IPv4([parts[1]! >> 8, parts[1]! & 0xff, parts[2]! >> 8, parts[2]! & 0xff]);
    const inner = judgeIpv4(embedded);
    return inner.public ? { public: true, address: text } : { public: false, address: text, range: `${inner.range} (6to4)` };
  }
  if (!address.match(IPV6_GLOBAL_UNICAST)) return { public: false, address: text, range: 'reserved' };
  for (const [range, cidr] of IPV6_REFUSED_INSIDE_GLOBAL) {
    if (address.match(cidr)) return { public: false, address: text, range };
  }
  return { public: true, address: text };
}

/** Is this IP address (any written form) a public one the bot may connect to? */
export function judgeAddress(text: string): AddressVerdict {
  const address = parseIpAddress(text);
  if (!address) return { public: false, range: 'not an IP address' };
  return address.kind() === 'ipv4' ? judgeIpv4(address as ipaddr.IPv4) : judgeIpv6(address as ipaddr.IPv6);
}

export function isPublicAddress(text: string): boolean {
  return judgeAddress(text).public;
}

/**
 * FEED_ALLOWED_HOSTS exempts exact `host:port` pairs (as the URL names
 * them, lower case; IPv6 in brackets). Nothing is exempt by default.
 */
export function isExemptHost(hostname: string, port: number, allowedHosts: readonly string[]): boolean {
  if (allowedHosts.length === 0) return false;
  let host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  return allowedHosts.includes(`${host}:${port}`);
}
