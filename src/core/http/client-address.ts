import { compile } from '@fastify/proxy-addr';
import { isIP } from 'node:net';

/** The entries of a comma-separated setting (TRUSTED_PROXIES, CORS_ORIGINS), trimmed. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** An IP address or CIDR range in plain decimal spelling that proxy-addr (Fastify) also takes. */
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
  return typeof value === 'string' && commaList(value).every(isProxyEntry);
}

/** Fastify's `trustProxy` for TRUSTED_PROXIES: only they may name the client (false: no one). */
export function trustProxyOption(value: string): string[] | false {
  const entries = commaList(value);
  return entries.length === 0 ? false : entries;
}

/** The key a client is counted under: IPv4 as is (mapped too), IPv6 by its /64 (a subscriber). */
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
