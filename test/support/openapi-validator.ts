import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';

export interface MatchedRoute {
  template: string;
  method: Method;
}

/** JSON pointer token (RFC 6901), URI-encoded for use in a $ref fragment. */
const pointer = (token: string) =>
  encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));

/**
 * Checks HTTP responses against the committed openapi.json: the status must be documented for the
 * route and method, and a JSON body must match that response's schema (an empty one when the
 * document gives no content). Requests to routes the document does not have must be 404 with the
 * `Error` body.
 */
export class OpenApiValidator {
  readonly document: OpenAPIV3.Document;
  private readonly ajv: Ajv;
  private readonly routes: { template: string; regex: RegExp }[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file = join(__dirname, '..', '..', 'openapi.json')) {
    this.document = JSON.parse(readFileSync(file, 'utf8')) as OpenAPIV3.Document;
    // strict: false ignores OpenAPI-only keywords (example, xml …); Ajv knows `nullable` itself.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(this.document, 'openapi.json');
    this.routes = Object.keys(this.document.paths).map((template) => ({
      template,
      regex: new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`,
      ),
    }));
  }

  /** The documented route a concrete path and method belong to, if any. */
  match(method: string, path: string): MatchedRoute | null {
    const pathname = path.split('?')[0];
    const m = method.toLowerCase() as Method;
    const route = this.routes.find(
      (r) => r.regex.test(pathname) && this.document.paths[r.template]?.[m] !== undefined,
    );
    return route ? { template: route.template, method: m } : null;
  }

  /** Throws, saying why, when the response is not what the document promises. */
  check(
    method: string,
    path: string,
    status: number,
    contentType: string | null,
    text: string,
  ): void {
    const route = this.match(method, path);
    const where = `${method.toUpperCase()} ${path} → ${status}`;
    if (!route) {
      // 405: the path exists under other methods (METHOD_NOT_ALLOWED, answered by no operation).
      if (status !== 404 && status !== 405)
        throw new Error(`${where}: undocumented route answered other than 404 or 405`);
      this.checkBody(where, 'openapi.json#/components/schemas/Error', contentType, text);
      return;
    }
    const operation = this.document.paths[route.template]![route.method]!;
    const response = operation.responses[String(status)] as OpenAPIV3.ResponseObject | undefined;
    if (!response) {
      throw new Error(
        `${where}: status ${status} is not documented for ${route.method.toUpperCase()} ${route.template} (documented: ${Object.keys(operation.responses).join(', ')})`,
      );
    }
    if (!response.content?.['application/json']) {
      const types = Object.keys(response.content ?? {});
      if (types.length === 0 && text !== '') {
        throw new Error(`${where}: documented without a body, got ${text.slice(0, 200)}`);
      }
      if (types.length > 0 && !types.some((type) => contentType?.startsWith(type))) {
        throw new Error(`${where}: Content-Type ${contentType}, documented: ${types.join(', ')}`);
      }
      return;
    }
    const ref = [
      'openapi.json#',
      'paths',
      pointer(route.template),
      route.method,
      'responses',
      String(status),
      'content',
      pointer('application/json'),
      'schema',
    ].join('/');
    this.checkBody(where, ref, contentType, text);
  }

  private checkBody(where: string, ref: string, contentType: string | null, text: string): void {
    if (!contentType?.startsWith('application/json')) {
      throw new Error(`${where}: expected a JSON body, got Content-Type ${contentType}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${where}: body is not JSON: ${text.slice(0, 200)}`);
    }
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (!validate(body)) {
      throw new Error(
        `${where}: body does not match the documented schema: ${this.ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`,
      );
    }
  }
}
