import { describe, expect, it } from 'vitest';
import { isExemptHost, isPublicAddress, judgeAddress, parseIpAddress } from '../../src/feeds/fetch/address-policy.ts';

// A pure function: nothing here opens a socket.

describe('feed address policy: refused addresses in every written form', () => {
  const refused: Array<[string, string]> = [
    // loopback, written every way a URL accepts it
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0X7F000001', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['017700000001', 'loopback'],
    ['0x7f.0.0.1', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['127.1', 'loopback'],
    ['127.0.1', 'loopback'],
    ['127.0.0.1.', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    // IPv4 inside IPv6
    ['::ffff:127.0.0.1', 'loopback (embedded IPv4)'],
    ['::ffff:7f00:1', 'loopback (embedded IPv4)'],
    ['[::ffff:7f00:1]', 'loopback (embedded IPv4)'],
    ['0:0:0:0:0:ffff:7f00:0001', 'loopback (embedded IPv4)'],
    ['::ffff:10.0.0.1', 'private (embedded IPv4)'],
    ['::ffff:a9fe:a9fe', 'link-local (embedded IPv4)'],
    ['::127.0.0.1', 'loopback (embedded IPv4)'],
    ['64:ff9b::127.0.0.1', 'loopback (embedded IPv4)'],
    ['64:ff9b::a9fe:a9fe', 'link-local (embedded IPv4)'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::1', 'loopback (6to4)'],
    ['2002:c0a8:101::1', 'private (6to4)'],
    // private and friends
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['167772161', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['0xc0a80101', 'private'],
    ['169.254.169.254', 'link-local'], // cloud metadata
    ['0xa9fea9fe', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['192.88.99.1', '6to4 relay anycast'],
    // IPv6 special ranges
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['[fe80::1%25eth0]', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['100::1', 'discard-only'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'IETF protocol assignments'], // Teredo
    ['2001:10::1', 'IETF protocol assignments'], // ORCHID
    ['4000::1', 'reserved'],
    ['::2', 'unspecified (embedded IPv4)'],
  ];

  it.each(refused)('refuses %s (%s)', (text, range) => {
    const verdict = judgeAddress(text);
    expect(verdict.public).toBe(false);
    expect(verdict.public === false && verdict.range).toBe(range);
    expect(isPublicAddress(text)).toBe(false);
  });
});

describe('feed address policy: public addresses', () => {
  const allowed = [
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '0x08080808', // 8.8.8.8 in hex
    '134744072', // 8.8.8.8 as a number
    '100.63.255.255', // just below CGNAT
    '100.128.0.0', // just above CGNAT
    '172.15.255.255',
    '172.32.0.0',
    '11.0.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '[2606:4700:4700::1111]',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1', // 6to4 of a public address
  ];
  it.each(allowed)('allows %s', (text) => {
    expect(judgeAddress(text)).toMatchObject({ public: true });
  });
});

describe('feed address policy: things that are not addresses', () => {
  it.each(['localhost', 'example.com', '', '256.1.1.1', '1.2.3.4.5', '::g', '1.2.3.4/8', 'http://127.0.0.1', '127.0.0.1:80'])(
    'refuses %j as not an IP address',
    (text) => {
      expect(judgeAddress(text)).toEqual({ public: false, range: 'not an IP address' });
    },
  );

  it('parses the canonical form of odd IPv4 spellings', () => {
    expect(parseIpAddress('0x7f.1')?.toString()).toBe('127.0.0.1');
    expect(parseIpAddress('2130706433')?.toString()).toBe('127.0.0.1');
    expect(parseIpAddress('::ffff:127.0.0.1')?.toString()).toBe('::ffff:7f00:1');
  });
});

describe('FEED_ALLOWED_HOSTS exemptions', () => {
  const allowed = ['127.0.0.1:8080', 'feeds.internal:443', '[::1]:9000'];
  it('exempts exactly the listed host:port pairs', () => {
    expect(isExemptHost('127.0.0.1', 8080, allowed)).toBe(true);
    expect(isExemptHost('FEEDS.internal', 443, allowed)).toBe(true);
    expect(isExemptHost('feeds.internal.', 443, allowed)).toBe(true);
    expect(isExemptHost('[::1]', 9000, allowed)).toBe(true);
    expect(isExemptHost('::1', 9000, allowed)).toBe(true);
  });
  it('does not exempt another port, another host or anything by default', () => {
    expect(isExemptHost('127.0.0.1', 8081, allowed)).toBe(false);
    expect(isExemptHost('127.0.0.2', 8080, allowed)).toBe(false);
    expect(isExemptHost('feeds.internal', 80, allowed)).toBe(false);
    expect(isExemptHost('127.0.0.1', 8080, [])).toBe(false);
  });
});
