import {
  createRemoteJWKSet,
  customFetch,
  errors,
  jwksCache,
  type FlattenedJWSInput,
  type JWKSCacheInput,
  type JWSHeaderParameters,
} from 'jose';
import type { AuthConfig } from './auth.config';
import { KeySetUnavailableError } from './auth.errors';

/** A JWKS larger than this is not an identity provider's key set; refused unread. */
export const JWKS_MAX_BYTES = 512 * 1024;
const JWKS_BACKOFF_MAX_MS = 60_000;

/**
 * An identity provider's keys, fetched and cached by jose; this decides when to fetch, which jose
 * cannot: single-flight, AUTH_JWKS_COOLDOWN_MS apart, backing off (docs/security.md).
 */
export class Jwks {
  /** jose records each successful fetch here (`uat`). */
  private readonly loaded: JWKSCacheInput = {};
  private readonly cooldownMs = this.config.AUTH_JWKS_COOLDOWN_MS;
  private readonly maxAgeMs = this.config.AUTH_JWKS_MAX_AGE_MS;
  private readonly remote = createRemoteJWKSet(new URL(this.config.AUTH_JWKS_URL!), {
    timeoutDuration: this.config.AUTH_JWKS_TIMEOUT_MS,
    cacheMaxAge: this.maxAgeMs,
    // jose never refetches for an unknown kid on its own: getKey decides (to wait, to back off).
    cooldownDuration: Infinity,
    [jwksCache]: this.loaded,
    [customFetch]: fetchKeySet,
  });
  private lastAttempt = -Infinity;
  private failures = 0;
  private lastError: unknown;
  private inflight: Promise<void> | undefined;

  constructor(private readonly config: AuthConfig) {}

  private get fetchedAt(): number {
    return 'uat' in this.loaded ? this.loaded.uat : -Infinity;
  }

  /** When the keys held now stop being trusted: the verified-token cache never outlives it. */
  get trustedUntil(): number {
    return this.fetchedAt + this.maxAgeMs;
  }

  /** `spend` is called before waiting for a fetch of a key the held copy lacks. */
  readonly getKey = async (
    header: JWSHeaderParameters,
    token: FlattenedJWSInput,
    spend?: () => Promise<void>,
  ) => {
    const arrived = Date.now();
    if (!this.remote.fresh) await this.refresh();
    else if (arrived - this.fetchedAt >= this.maxAgeMs / 2 && arrived >= this.nextFetchAt()) {
      this.refresh().catch(() => undefined);
    }
    try {
      return await this.remote(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.fetchedAt >= arrived) throw error;
      await spend?.();
      await this.refresh();
      return await this.remote(header, token);
    }
  };

  private refresh(): Promise<void> {
    this.inflight ??= this.fetchWhenAllowed().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetchWhenAllowed(): Promise<void> {
    const wait = this.nextFetchAt() - Date.now();
    if (wait > 0 && this.failures > 0) throw new KeySetUnavailableError(this.lastError);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref());
    this.lastAttempt = Date.now();
    try {
      await this.remote.reload();
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.lastError = error instanceof KeySetUnavailableError ? error.cause : error;
      throw new KeySetUnavailableError(this.lastError);
    }
  }

  private nextFetchAt(): number {
    if (this.failures === 0) return this.lastAttempt + this.cooldownMs;
    return this.lastAttempt + Math.min(this.cooldownMs * 2 ** this.failures, JWKS_BACKOFF_MAX_MS);
  }
}

/** jose's fetch: 200 only (no redirect), bounded, a `keys` array; a failure never names the URL. */
export async function fetchKeySet(url: string, init: RequestInit): Promise<Response> {
  try {
    const response = await fetch(url, init);
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`the JWKS endpoint answered HTTP ${response.status}`);
    }
    const text = await readBounded(response);
    let keys: unknown;
    try {
      keys = (JSON.parse(text) as { keys?: unknown } | null)?.keys;
    } catch {
      throw new Error('the JWKS endpoint answered something that is not JSON');
    }
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'object' && k !== null)) {
      throw new Error('the JWKS endpoint answered JSON without a "keys" array of objects');
    }
    return new Response(text);
  } catch (error) {
    throw new KeySetUnavailableError(new Error(describeFetchError(error), { cause: error }));
  }
}

async function readBounded(response: Response): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > JWKS_MAX_BYTES) throw new Error(`the JWKS is larger than ${JWKS_MAX_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** fetch says "fetch failed" and hides the reason (a socket code) in `cause`. */
function describeFetchError(error: unknown): string {
  const { name, message, cause } = error as { name?: string; message?: string; cause?: unknown };
  if (name === 'TimeoutError') return 'the JWKS endpoint did not answer in time';
  const code = (cause as { code?: string } | undefined)?.code;
  return code === undefined ? String(message) : `${String(message)} (${code})`;
}
