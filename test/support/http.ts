import { OpenApiValidator } from './openapi-validator';

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  body: T;
}

export interface RequestOptions {
  /** Sent as JSON with Content-Type application/json. */
  json?: unknown;
  /** Sent as is (set Content-Type yourself in headers). */
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Bearer token; `null` sends no Authorization header. Defaults to the client's token. */
  token?: string | null;
  /** Accept 503 (only tests that take the database away set this); any other 5xx still fails. */
  allow503?: boolean;
}

const TIMEOUT_MS = 15_000;

/**
 * `fetch` against the app under test, with the checks every response must pass: never a 5xx,
 * always an X-Request-Id, and always what openapi.json documents for the route and status.
 */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    readonly validator: OpenApiValidator,
    readonly token: string | null = null,
  ) {}

  withToken(token: string | null): HttpClient {
    return new HttpClient(this.baseUrl, this.validator, token);
  }

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | Uint8Array | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const url = new URL(`${this.baseUrl}${path}`);
    const res = await fetch(url, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    const where = `${method} ${path} → ${res.status}`;
    if (res.status >= 500 && !(res.status === 503 && options.allow503))
      throw new Error(`${where}: a 5xx, which no input may cause: ${text}`);
    if (!res.headers.get('x-request-id')) throw new Error(`${where}: no X-Request-Id header`);
    // Checked against the path as sent: fetch resolves dot segments first.
    this.validator.check(method, url.pathname, res.status, res.headers.get('content-type'), text);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed as T };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, json });
  }
  put<T = any>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { ...options, json });
  }
  patch<T = any>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, json });
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }
}
