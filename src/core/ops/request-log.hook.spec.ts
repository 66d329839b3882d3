import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import {
  loggableHeaders,
  MAX_LOGGED_HEADER,
  MAX_LOGGED_URL,
  RequestLogHook,
  requestLogLevel,
  truncated,
} from './request-log.hook';

describe('requestLogLevel', () => {
  it('logs server errors as errors and client errors as warnings, probes included', () => {
    expect(requestLogLevel('/api/alice/tasks', 500)).toBe('error');
    expect(requestLogLevel('/health/ready', 503)).toBe('error');
    expect(requestLogLevel('/api/alice/tasks', 404)).toBe('warn');
    expect(requestLogLevel('/metrics', 401)).toBe('warn');
  });

  it('keeps successful probes and scrapes out of the log, nothing else', () => {
    for (const url of ['/health', '/health/live', '/health/ready?x=1', '/metrics']) {
      expect(requestLogLevel(url, 200)).toBeUndefined();
    }
    for (const url of ['/api/alice/tasks', '/healthz', '/metricsx', '/docs']) {
      expect(requestLogLevel(url, 200)).toBe('info');
    }
  });
});

describe('loggableHeaders', () => {
  it('keeps only the allowlisted headers that were sent', () => {
    const headers = {
      authorization: 'Bearer t',
      cookie: 'session=s',
      'x-api-key': 'k',
      'user-agent': 'curl/8',
      'content-length': '12',
      host: 'h',
    };
    expect(loggableHeaders(headers)).toEqual({ 'user-agent': 'curl/8', 'content-length': '12' });
  });
});

describe('truncated', () => {
  it('keeps a value up to the bound and says how much it cut beyond it', () => {
    expect(truncated('abc', 3)).toBe('abc');
    expect(truncated('abcdef', 3)).toBe('abc…[truncated 3 bytes]');
  });

  it('bounds every logged header, a repeated one joined first', () => {
    const long = 'M'.repeat(4000);
    const out = loggableHeaders({ 'user-agent': long, referer: ['a', 'b'] });
    expect(out['user-agent']).toBe(`${'M'.repeat(MAX_LOGGED_HEADER)}…[truncated 3744 bytes]`);
    expect(out.referer).toBe('a, b');
  });
});

describe('RequestLogHook', () => {
  const pino = { isLevelEnabled: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const hook = new RequestLogHook({ logger: pino } as unknown as PinoLogger);
  const answer = (url: string, statusCode: number, sent: Record<string, string> = {}) => {
    const headers = { 'user-agent': 'ua', ...sent };
    const request = { id: 'r1', method: 'GET', url, headers, ip: sent.ip ?? '::1' };
    const done = jest.fn();
    hook.onResponse(
      request as unknown as FastifyRequest,
      { statusCode, elapsedTime: 1.234567 } as unknown as FastifyReply,
      done,
    );
    expect(done).toHaveBeenCalledWith();
  };

  beforeEach(() => jest.clearAllMocks());

  it('writes one line at the level of the status, with the measured time', () => {
    pino.isLevelEnabled.mockReturnValue(true);
    answer('/api/alice/tasks', 404);
    expect(pino.warn).toHaveBeenCalledWith(
      {
        req: {
          id: 'r1',
          method: 'GET',
          url: '/api/alice/tasks',
          headers: { 'user-agent': 'ua' },
          remoteAddress: '::1',
        },
        res: { statusCode: 404 },
        responseTime: 1.23,
      },
      'request completed',
    );
  });

  it('marks an id the client chose, and bounds a forwarded address', () => {
    pino.isLevelEnabled.mockReturnValue(true);
    answer('/api/alice/tasks', 404, { 'x-request-id': 'r1', ip: 'x'.repeat(100) });
    const line = (pino.warn.mock.calls as [{ req: Record<string, unknown> }][])[0][0];
    expect(line.req.idFromClient).toBe(true);
    expect(line.req.remoteAddress).toBe(`${'x'.repeat(64)}…[truncated 36 bytes]`);
    answer('/api/alice/tasks', 404, { 'x-request-id': 'not-the-id' });
    const second = (pino.warn.mock.calls as [{ req: Record<string, unknown> }][])[1][0];
    expect(second.req).not.toHaveProperty('idFromClient');
  });

  it('cuts a long URL to its bound', () => {
    pino.isLevelEnabled.mockReturnValue(true);
    answer(`/api/alice/tasks?${'q'.repeat(7800)}`, 401);
    const line = (pino.warn.mock.calls as [{ req: { url: string } }][])[0][0];
    expect(line.req.url).toHaveLength(MAX_LOGGED_URL + '…[truncated 7305 bytes]'.length);
    expect(line.req.url).toMatch(/^\/api\/alice\/tasks\?q+…\[truncated 7305 bytes\]$/);
  });

  it('builds nothing when the level is off, and skips successful probes', () => {
    pino.isLevelEnabled.mockReturnValue(false);
    answer('/api/alice/tasks', 200);
    pino.isLevelEnabled.mockReturnValue(true);
    answer('/health/live', 200);
    expect(pino.info).not.toHaveBeenCalled();
  });
});
