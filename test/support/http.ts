import { request as httpRequest } from 'node:http';
import { OpenApiValidator } from './openapi-validator';
import { tokenFor } from './tokens';

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  body: T;
}

/**
 * The contract's error body as tests read it (the client has already checked it against the
 * `Error` schema). `fields` is typed as present because the tests that read it assert on it.
 */
export interface ErrorResponseBody {
  code: string;
  message: string;
  /** `message` again (the contract's RFC 9457 name). */
  detail: string;
  details: { fields: Record<string, string[]>; [key: string]: unknown };
  request_id: string;
}

export interface RequestOptions {
  /** Sent as JSON with Content-Type application/json. */
  json?: unknown;
  /** Sent as is (set Content-Type yourself in headers). */
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Bearer token; `null` sends no Authorization header. Defaults to the client's token. */
  token?: string | null;
  /** Accept 503 (only tests that take a dependency away set this); any other 5xx still fails. */
  allow503?: boolean;
  /** Abort the request after this long (15 s unless given). */
  timeoutMs?: number;
}

/** What `overSocket` answers: Node's raw view, hop-by-hop headers included. */
export interface SocketResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

const TIMEOUT_MS = 15_000;

let sharedValidator: OpenApiValidator | undefined;
/** One validator per test file: it compiles each response schema once. */
function defaultValidator(): OpenApiValidator {
  sharedValidator ??= new OpenApiValidator();
  return sharedValidator;
}

/**
 * The one HTTP client of the tests: `fetch` against an app under test (in process or built), with
 * the checks every response must pass: never a 5xx, always an X-Request-Id, and always what
 * openapi.json documents for the route and status (an undocumented route must be a 404 in the
 * Error format).
 *
 * Two escape hatches, for what the contract does not cover: `raw()` is the same request with no
 * checks (test-only probe routes, /docs, preflights, a 500 a test provokes on purpose), and
 * `overSocket()` sends a request on a socket of its own with `node:http`, for the headers
 * `fetch` will not send or show (Connection).
 */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null = null,
    readonly validator: OpenApiValidator = defaultValidator(),
  ) {}

  withToken(token: string | null): HttpClient {
    return new HttpClient(this.baseUrl, token, this.validator);
  }

  /** A client carrying a fresh test token for `userId` (see tokens.ts). */
  async asUser(userId: string): Promise<HttpClient> {
    return this.withToken(await tokenFor(userId));
  }

  /** A checked request; `T` is the body's type, the contract's error body unless named. */
  async request<T = ErrorResponseBody>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const { url, res, text } = await this.send(method, path, options);
    const where = `${method} ${path} → ${res.status}`;
    if (res.status >= 500 && !(res.status === 503 && options.allow503))
      throw new Error(`${where}: a 5xx, which no input may cause: ${text}`);
    if (!res.headers.get('x-request-id')) throw new Error(`${where}: no X-Request-Id header`);
    // Checked against the path as sent: fetch resolves dot segments first.
    this.validator.check(method, url.pathname, res.status, res.headers.get('content-type'), text);
    return response<T>(res, text);
  }

  /** The request without any check: for what openapi.json does not describe. */
  async raw<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const { res, text } = await this.send(method, path, options);
    return response<T>(res, text);
  }

  /** One request on a socket of its own (no agent, no pooling), answering Node's raw headers. */
  overSocket(
    method: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<SocketResponse> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        `${this.baseUrl}${path}`,
        { method, headers, agent: false, timeout: TIMEOUT_MS },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer`)));
      req.on('error', reject);
      req.end();
    });
  }

  get<T = ErrorResponseBody>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = ErrorResponseBody>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, json });
  }
  put<T = ErrorResponseBody>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { ...options, json });
  }
  patch<T = ErrorResponseBody>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, json });
  }
  delete<T = ErrorResponseBody>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  private async send(method: string, path: string, options: RequestOptions) {
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
      signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
    });
    return { url, res, text: await res.text() };
  }
}

function response<T>(res: Response, text: string): HttpResponse<T> {
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed as T };
}
