import { compile } from '@fastify/proxy-addr';
import { isIP } from 'node:net';

/**
 * TRUSTED_PROXIES: only a peer among them may name the client in `X-Forwarded-For` (Fastify's
 * `trustProxy`); with none, `request.ip` is the socket's peer, so no client chooses its address.
 */
export function parseTrustedProxies(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * An IPv4 or IPv6 address, or a CIDR range of one (`10.0.0.0/8`, `fd00::/8`), in plain decimal
 * spelling, and one that Fastify's own parser (proxy-addr) takes: what passes here starts.
 */
export function isProxyEntry(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (isIP(address) === 0 || rest.length > 0) return false;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return false;
  try {
    compile(entry);
    return true;
  } catch {
    return false;
  }
}

export function isTrustedProxies(value: unknown): boolean {
  return typeof value === 'string' && parseTrustedProxies(value).every(isProxyEntry);
}

/** Fastify's `trustProxy` server option for TRUSTED_PROXIES (false: trust no one). */
export function trustProxyOption(value: string): string[] | false {
  const entries = parseTrustedProxies(value);
  return entries.length === 0 ? false : entries;
}

/**
 * The key a client address is counted under: an IPv4 address as it is (IPv4-mapped IPv6 too),
 * an IPv6 address by its /64, the block one subscriber is usually given, so that one client
 * cannot become 2^64 clients by varying the low bits of its address.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIP(ip) !== 6) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  // An IPv4 tail (`1::3:4:5:6:1.2.3.4`) stands for two groups; without `::` nothing is filled in.
  const ipv4Tail = ip.includes('.') ? 1 : 0;
  const filled = Array<string>(8 - left.length - right.length - ipv4Tail).fill('0');
  const groups = [...left, ...filled, ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
