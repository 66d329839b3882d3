import type { HttpClient } from './http';

/** One request's fate during an incident, recorded instead of thrown. */
export interface Outcome {
  status: number;
  /** The created task's id on 201. */
  id?: string;
  code?: string;
  retryAfter: string | null;
  ms: number;
  /**
   * Set when no HTTP answer came at all (connection error, client timeout), or when the answer
   * broke the contract (the client's checks): either way status is 0.
   */
  error?: string;
}

/** POST /api/{user}/tasks with `api` (carrying that user's token), never throwing. */
export async function createTask(
  api: HttpClient,
  userId: string,
  title: string,
  timeoutMs = 15_000,
): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await api.post<{ id?: string; code?: string } | undefined>(
      `/api/${encodeURIComponent(userId)}/tasks`,
      { title },
      { allow503: true, timeoutMs },
    );
    return {
      status: res.status,
      id: res.status === 201 ? res.body?.id : undefined,
      code: res.body?.code,
      retryAfter: res.headers.get('retry-after'),
      ms: performance.now() - started,
    };
  } catch (error) {
    return {
      status: 0,
      retryAfter: null,
      ms: performance.now() - started,
      error: (error as Error).message,
    };
  }
}

/** GET `path`, answering its status (0 when no answer came within the timeout). */
export async function status(api: HttpClient, path: string, timeoutMs = 10_000): Promise<number> {
  try {
    return (await api.get(path, { allow503: true, timeoutMs })).status;
  } catch {
    return 0;
  }
}

/**
 * Polls `probe` (one call at a time) until it returns true; resolves with the milliseconds it
 * took, or rejects after `timeoutMs`.
 */
export async function timeUntil(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * POSTs in a bounded loop with `concurrency` workers until stopped, recording every outcome: the
 * load a real service sees during an incident.
 */
export class Writer {
  readonly outcomes: Outcome[] = [];
  private running = true;
  private readonly workers: Promise<void>[];

  constructor(api: HttpClient, userId: string, concurrency = 3, maxRequests = 2000) {
    let n = 0;
    this.workers = Array.from({ length: concurrency }, async () => {
      while (this.running && n < maxRequests) {
        const outcome = await createTask(api, userId, `load ${n++}`);
        this.outcomes.push(outcome);
        if (outcome.status !== 201) await new Promise((r) => setTimeout(r, 50));
      }
    });
  }

  async stop(): Promise<Outcome[]> {
    this.running = false;
    await Promise.all(this.workers);
    return this.outcomes;
  }
}
