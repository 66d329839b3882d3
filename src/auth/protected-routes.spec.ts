import { isApiRoute, isOperationalRoute } from './protected-routes';

describe('route classes', () => {
  it.each(['/api', '/api/', '/api/:user_id/tasks', '/api/:user_id/tasks/:task_id/complete'])(
    '%s is an API route',
    (route) => expect(isApiRoute(route)).toBe(true),
  );

  it.each([undefined, '', '/apis', '/apix/1', '/health', '/docs', '/', '/API/x'])(
    '%s is not an API route',
    (route) => expect(isApiRoute(route)).toBe(false),
  );

  it.each(['/health', '/health/live', '/metrics', '/metrics/x'])('%s is operational', (route) =>
    expect(isOperationalRoute(route)).toBe(true),
  );

  it.each([undefined, '/healthz', '/api/health', '/metricsx', '/docs'])(
    '%s is not operational',
    (route) => expect(isOperationalRoute(route)).toBe(false),
  );
});
