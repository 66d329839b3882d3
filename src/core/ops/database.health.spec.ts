import type { HealthIndicatorService } from '@nestjs/terminus';
import type { SqlExecutor } from '../database/sql-executor';
import { DatabaseHealthIndicator, HEALTH_PING_REUSE_MS } from './database.health';

describe('DatabaseHealthIndicator', () => {
  let now = 1000;
  beforeEach(() => jest.spyOn(performance, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it('shares one ping among concurrent probes and reuses its answer briefly', async () => {
    const run = jest.fn().mockResolvedValue({ rows: [{ database: 'tasks' }] });
    const health = new DatabaseHealthIndicator(
      { run } as unknown as SqlExecutor,
      {} as HealthIndicatorService,
    );
    const [a, b] = await Promise.all([health.probe(), health.probe()]);
    expect(a).toEqual({ connected: true, latency_ms: 0, database: 'tasks' });
    expect(b).toBe(a);
    now += HEALTH_PING_REUSE_MS - 1;
    await health.probe();
    expect(run).toHaveBeenCalledTimes(1);
    now += 1;
    run.mockRejectedValueOnce(new Error('down'));
    expect(await health.probe()).toEqual({ connected: false, latency_ms: null, database: null });
    expect(run).toHaveBeenCalledTimes(2);
  });
});
