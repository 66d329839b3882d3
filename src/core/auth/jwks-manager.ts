import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type CryptoKey,
} from 'jose';
import { KeySetUnavailableError } from './token-errors';

/** A JWKS larger than this is not an identity provider's key set; refused unread. */
export const JWKS_MAX_BYTES = 512 * 1024;
/** The longest wait between two fetches while the JWKS keeps failing. */
export const JWKS_BACKOFF_MAX_MS = 60_000;

export interface JwksManagerConfig {
  url: string;
  /** One fetch, body included. */
  timeoutMs: number;
  /** Least time between two fetches, whatever the tokens say; doubled after each failure. */
  minIntervalMs: number;
  /** Keys fetched longer ago than this are no longer trusted (a key removed from the JWKS stops working). */
  maxAgeMs: number;
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * The key set of an identity provider, kept the way a rotating provider needs (issue 11), instead
 * of jose's remote set, whose 30 s cooldown after the last *success* refused a freshly rotated key
 * for up to 30 s and let a failing endpoint be fetched hundreds of times a second:
 *
 * - a `kid` missing from our copy refetches it, if our copy is older than the request, at most
 *   once per `minIntervalMs` (the request waits for the next allowed fetch rather than being
 *   refused), and all requests waiting share that one fetch;
 * - after a failed fetch the interval doubles per failure up to JWKS_BACKOFF_MAX_MS, and requests
 *   that need a fetch in the meantime fail at once (503) without fetching;
 * - the copy is refreshed in the background after half of `maxAgeMs` and dropped after all of
 *   it, so a key removed from the JWKS stops being trusted within `maxAgeMs`.
 */
export class JwksManager {
  private keys: LocalKeySet | undefined;
  private fetchedAt = -Infinity;
  private lastAttempt = -Infinity;
  private failures = 0;
  private lastError: unknown;
  private inflight: Promise<void> | undefined;
  /** Fetches started, for the tests and the closing note's figures. */
  fetches = 0;

  constructor(private readonly config: JwksManagerConfig) {}

  /** Epoch ms after which the keys held now are no longer trusted: bounds the verified-token cache too. */
  get trustedUntil(): number {
    return this.fetchedAt + this.config.maxAgeMs;
  }

  /** jose's key lookup: the key for the token's header, fetching the JWKS when it must. */
  readonly getKey = async (
    header: JWSHeaderParameters,
    token: FlattenedJWSInput,
  ): Promise<CryptoKey | Uint8Array> => {
    const arrived = Date.now();
    const age = arrived - this.fetchedAt;
    if (age >= this.config.maxAgeMs) this.keys = undefined;
    if (this.keys === undefined) await this.refresh();
    else if (age >= this.config.maxAgeMs / 2 && arrived >= this.nextAllowedAt()) {
      // In the background, so no request waits for it; not while backing off.
      this.refresh().catch(() => undefined);
    }
    try {
      return await this.keys!(header, token);
    } catch (error) {
      // A key rotated in since our copy was made: fetch once more (shared, rate-bounded), then ask again.
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.fetchedAt >= arrived) throw error;
      await this.refresh();
      return await this.keys!(header, token);
    }
  };

  /** One fetch at a time; every caller waiting for a fresher copy shares it. */
  private refresh(): Promise<void> {
    this.inflight ??= this.fetchWhenAllowed().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchWhenAllowed(): Promise<void> {
    const wait = this.nextAllowedAt() - Date.now();
    if (wait > 0) {
      if (this.failures > 0) throw new KeySetUnavailableError(this.lastError);
      await sleep(wait);
    }
    this.lastAttempt = Date.now();
    this.fetches += 1;
    try {
      const jwks = await fetchKeySet(this.config.url, this.config.timeoutMs);
      this.keys = createLocalJWKSet(jwks);
      this.fetchedAt = Date.now();
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.lastError = error;
      throw new KeySetUnavailableError(error);
    }
  }

  private nextAllowedAt(): number {
    const interval =
      this.failures === 0
        ? this.config.minIntervalMs
        : Math.min(this.config.minIntervalMs * 2 ** this.failures, JWKS_BACKOFF_MAX_MS);
    return this.lastAttempt + interval;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** GET the JWKS: 200 only, no redirects, within `timeoutMs` and JWKS_MAX_BYTES, a `keys` array. */
export async function fetchKeySet(url: string, timeoutMs: number): Promise<JSONWebKeySet> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    throw new Error(describeFetchError(error), { cause: error });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`the JWKS endpoint answered HTTP ${response.status}`);
  }
  const text = await readBounded(response);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error('the JWKS endpoint answered something that is not JSON');
  }
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'object' && k !== null)) {
    throw new Error('the JWKS endpoint answered JSON without a "keys" array of objects');
  }
  return body as JSONWebKeySet;
}

async function readBounded(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > JWKS_MAX_BYTES) {
    await response.body?.cancel();
    throw new Error(`the JWKS is larger than ${JWKS_MAX_BYTES} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body ?? []) {
      total += (chunk as Uint8Array).byteLength;
      if (total > JWKS_MAX_BYTES) {
        throw new Error(`the JWKS is larger than ${JWKS_MAX_BYTES} bytes`);
      }
      chunks.push(chunk as Uint8Array);
    }
  } catch (error) {
    throw new Error(describeFetchError(error), { cause: error });
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** fetch's errors say "fetch failed" and hide the reason in `cause`; the URL is never included. */
function describeFetchError(error: unknown): string {
  const { name, message, cause } = error as { name?: string; message?: string; cause?: unknown };
  if (name === 'TimeoutError') return 'the JWKS endpoint did not answer in time';
  const code = (cause as { code?: string } | undefined)?.code;
  return code === undefined ? String(message) : `${String(message)} (${code})`;
}
