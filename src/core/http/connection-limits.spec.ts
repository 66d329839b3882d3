import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { loadAppConfig } from '../../app.module';
import { HttpConfig } from './http.config';
import {
  connectionTimeouts,
  endSilentConnection,
  HEADERS_TIMEOUT_MS,
  holdConnections,
  REQUEST_TIMEOUT_MS,
} from './connection-limits';

const env = (extra: Record<string, string> = {}) =>
  loadAppConfig({ DATABASE_URL: 'postgres://u@h/db', AUTH_JWT_SECRET: 's', ...extra }).get(
    HttpConfig,
  );

describe('connection limits', () => {
  it('outwaits the longest silence of a healthy request: a JWKS fetch, then a query', () => {
    expect(env().socketTimeoutMs).toBe(5000 + 5000 + 1000 + 2000);
    const slow = env({ AUTH_JWKS_TIMEOUT_MS: '10000', DATABASE_STATEMENT_TIMEOUT_MS: '30000' });
    expect(slow.socketTimeoutMs).toBe(10_000 + 31_000 + 2000);
  });

  it('bounds every phase: headers, the whole request, silence, idle keep-alive', () => {
    const options = connectionTimeouts(env({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '5000' }));
    expect(options).toEqual({
      connectionTimeout: 13_000,
      keepAliveTimeout: 5000,
      requestTimeout: REQUEST_TIMEOUT_MS,
      http: { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 2000 },
    });
    // Node refuses a headers timeout longer than the request's.
    expect(HEADERS_TIMEOUT_MS).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  it('caps the connections unless told 0, and ends silent ones itself', () => {
    const capped = Object.assign(new EventEmitter(), { maxConnections: undefined });
    holdConnections(capped as unknown as Server, env());
    expect(capped.maxConnections).toBe(4096);
    expect(capped.listenerCount('timeout')).toBe(1);
    const uncapped = Object.assign(new EventEmitter(), { maxConnections: undefined });
    holdConnections(uncapped as unknown as Server, env({ HTTP_MAX_CONNECTIONS: '0' }));
    expect(uncapped.maxConnections).toBeUndefined();
  });

  it('gives each address (an IPv6 client: its /64) a share; trusted proxies have none', () => {
    expect(env().connectionsPerAddress).toBe(2048);
    expect(env({ HTTP_MAX_CONNECTIONS: '0' }).connectionsPerAddress).toBe(0);
    const config = env({ HTTP_MAX_CONNECTIONS_PER_ADDRESS: '2', TRUSTED_PROXIES: '10.0.0.1' });
    const server = new EventEmitter();
    holdConnections(server as unknown as Server, config);
    const open = (remoteAddress: string) => {
      const socket = Object.assign(new EventEmitter(), { remoteAddress, destroy: jest.fn() });
      server.emit('connection', socket);
      return socket;
    };
    const first = open('2001:db8::1');
    open('2001:db8::2');
    expect(open('2001:db8::3').destroy).toHaveBeenCalled();
    expect(open('2001:db9::1').destroy).not.toHaveBeenCalled();
    for (let i = 0; i < 3; i++) expect(open('10.0.0.1').destroy).not.toHaveBeenCalled();
    first.emit('close');
    expect(open('2001:db8::4').destroy).not.toHaveBeenCalled();
    expect(open('2001:db8::5').destroy).toHaveBeenCalled();
    const none = new EventEmitter();
    holdConnections(none as unknown as Server, env({ HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0' }));
    expect(none.listenerCount('connection')).toBe(0);
  });

  it('resets a connection whose client stopped reading, closes an idle one', () => {
    const socket = (writableLength: number) => ({
      writableLength,
      resetAndDestroy: jest.fn(),
      destroy: jest.fn(),
    });
    const stalled = socket(5_000_000);
    endSilentConnection(stalled as unknown as Socket);
    expect(stalled.resetAndDestroy).toHaveBeenCalled();
    expect(stalled.destroy).not.toHaveBeenCalled();
    const idle = socket(0);
    endSilentConnection(idle as unknown as Socket);
    expect(idle.destroy).toHaveBeenCalled();
    expect(idle.resetAndDestroy).not.toHaveBeenCalled();
  });
});
