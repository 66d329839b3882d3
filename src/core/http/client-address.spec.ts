import fastify from 'fastify';
import { addressKey, isProxyEntry, isTrustedProxies, trustProxyOption } from './client-address';

describe('client address', () => {
  it('TRUSTED_PROXIES: addresses and CIDR ranges, comma-separated; empty trusts no one', () => {
    expect(trustProxyOption('')).toBe(false);
    expect(trustProxyOption(' , ')).toBe(false);
    expect(trustProxyOption('10.0.0.0/8, fd00::/8,127.0.0.1')).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
      '127.0.0.1',
    ]);
    for (const good of ['10.1.2.3', '10.0.0.0/8', '0.0.0.0/1', '::1', 'fd00::/128'])
      expect({ good, ok: isProxyEntry(good) }).toEqual({ good, ok: true });
    for (const bad of ['loopback', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/1', '10.0.0.0/x', ''])
      expect({ bad, ok: isProxyEntry(bad) }).toEqual({ bad, ok: false });
    // proxy-addr reads these as /8 and /128; the plain spelling has at most three digits.
    for (const bad of ['10.0.0.0/0008', 'fd00::/0128', '10.0.0.0/'])
      expect({ bad, ok: isProxyEntry(bad) }).toEqual({ bad, ok: false });
    expect(isTrustedProxies('10.0.0.1,nope')).toBe(false);
    expect(isTrustedProxies('10.0.0.0/8,0.0.0.0/0')).toBe(false);
    expect(isTrustedProxies(42)).toBe(false);
    expect(isTrustedProxies('')).toBe(true);
  });

  it('accepts exactly what Fastify starts with (its trustProxy parser is the judge)', () => {
    const values = ['0.0.0.0/0', '::/0', '10.0.0.0/0x8', '10.0.0.0/1e1', '10.0.0.0/ 8', '/8'];
    values.push('10.0.0.0/08', '10.0.0.0/8', '::ffff:10.0.0.0/104', 'fd00::/8', '127.0.0.1');
    for (const value of values) {
      const starts = (() => {
        try {
          fastify({ trustProxy: trustProxyOption(value) });
          return true;
        } catch {
          return false;
        }
      })();
      if (isTrustedProxies(value)) expect({ value, starts }).toEqual({ value, starts: true });
    }
    for (const refused of ['0.0.0.0/0', '::/0', '10.0.0.0/0x8', '10.0.0.0/1e1', '10.0.0.0/ 8'])
      expect({ refused, ok: isTrustedProxies(refused) }).toEqual({ refused, ok: false });
  });

  it('keys IPv4 as is, IPv4-mapped IPv6 as IPv4, and IPv6 by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:10.200.3.45')).toBe('10.200.3.45');
    expect(addressKey('::FFFF:192.168.100.200')).toBe('192.168.100.200');
    expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0DB8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::')).toBe('fe80:0:0:0::/64');
    expect(addressKey('not an address')).toBe('not an address');
    expect(addressKey('::ffff:1.2.3.4x')).toBe('::ffff:1.2.3.4x');
  });

  it('keys an IPv4-mapped address by all four octets, whichever of them has several digits', () => {
    for (let i = 0; i < 4; i++) {
      const octets = [1, 2, 3, 4].map((octet, j) => (i === j ? 100 + octet * 11 : octet));
      const ipv4 = octets.join('.');
      expect(addressKey(`::ffff:${ipv4}`)).toBe(ipv4);
      expect(addressKey(`::FFFF:${ipv4}`)).toBe(ipv4);
    }
    expect(addressKey('::ffff:1.2.3.4')).toBe('1.2.3.4');
    // Only the mapped prefix itself: an address that merely ends in IPv4 is keyed by its /64.
    expect(addressKey('1::ffff:1.2.3.4')).toBe('1:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('counts an IPv4 tail as the two groups it is when filling in ::', () => {
    // 1:0:3:4:5:6 then 1.2.3.4 as 0102:0304: the /64 is 1:0:3:4, not 1:0:0:3.
    expect(addressKey('1::3:4:5:6:1.2.3.4')).toBe('1:0:3:4::/64');
    expect(addressKey('1:0:3:4:5:6:1.2.3.4')).toBe('1:0:3:4::/64');
    expect(addressKey('1:2:3:4:5:6:255.255.0.1')).toBe('1:2:3:4::/64');
    expect(addressKey('::1.2.3.4')).toBe('0:0:0:0::/64');
  });

  it('expands :: wherever it stands, so each spelling of an address has one key', () => {
    const spellings = [
      ['2001:db8:0:1:2:3:4:5', '2001:db8::1:2:3:4:5', '2001:0DB8:0000:0001:2:3:4:5'],
      ['0:1:2:3:4:5:6:7', '::1:2:3:4:5:6:7', '0000:0001:0002:0003:0004:0005:0006:0007'],
      ['1:2:3:0:0:0:0:0', '1:2:3::', '1:2:3:0::'],
      ['1:0:0:4:5:6:7:8', '1::4:5:6:7:8', '1:0::4:5:6:7:8'],
      ['ab:cd:0:0:0:0:0:1', 'AB:CD::1', 'ab:cd:0:0::1'],
    ];
    for (const [full, ...others] of spellings) {
      const key = `${full.split(':').slice(0, 4).join(':')}::/64`;
      for (const ip of [full, ...others]) expect({ ip, key: addressKey(ip) }).toEqual({ ip, key });
    }
  });
});
