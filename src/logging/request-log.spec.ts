import { loggableHeaders, requestLogLevel } from './request-log';

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
