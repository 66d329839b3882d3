import { SignJWT } from 'jose';

/** A secret long enough for NODE_ENV=production. */
export const OPS_JWT_SECRET = 'ops-test-secret-0123456789abcdef0123456789abcdef0123456789abcdef';

export async function bearer(userId: string, secret = OPS_JWT_SECRET): Promise<string> {
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
  return `Bearer ${jwt}`;
}

export interface Outcome {
  status: number;
  /** The created task's id on 201. */
  id?: string;
  code?: string;
  retryAfter: string | null;
  ms: number;
  /** Set when no HTTP answer came at all (connection error, client timeout). */
  error?: string;
}

/** POST /api/{user}/tasks, never throwing: every attempt ends as an Outcome. */
export async function createTask(
  baseUrl: string,
  userId: string,
  auth: string,
  title: string,
  timeoutMs = 15_000,
): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}/api/${encodeURIComponent(userId)}/tasks`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json().catch(() => ({}))) as { id?: string; code?: string };
    return {
      status: res.status,
      id: res.status === 201 ? body.id : undefined,
      code: body.code,
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

/** GET a path, answering its status (0 when no answer came within the timeout). */
export async function status(url: string, timeoutMs = 10_000): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * Polls `probe` (one call at a time) until it returns true; resolves with the milliseconds it
 * took, or rejects after `timeoutMs`.
 */
export async function timeUntil(
  probe: () => Promise<boolean>,
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

  constructor(baseUrl: string, userId: string, auth: string, concurrency = 3, maxRequests = 2000) {
    let n = 0;
    this.workers = Array.from({ length: concurrency }, async () => {
      while (this.running && n < maxRequests) {
        const outcome = await createTask(baseUrl, userId, auth, `load ${n++}`);
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
