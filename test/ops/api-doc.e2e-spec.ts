import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAPIV3 } from 'openapi-types';

// docs/api.md (the HTTP contract, for people) and openapi.json (for machines, generated from the
// code) must say the same thing. Every way they disagree is listed as one line; the list must
// equal NOT_YET_IN_OPENAPI exactly, so a new disagreement fails, and so does one that went away.
const ROOT = join(__dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
const openapi = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8')) as OpenAPIV3.Document;

/**
 * What the contract requires and openapi.json does not describe yet: empty, every row of
 * docs/api.md is in the document. When the contract gains a rule before the code does, its line
 * goes here, and the test fails on it once `npm run openapi` brings the document in step.
 * Nothing else belongs in this list.
 */
const NOT_YET_IN_OPENAPI: string[] = [];

/** Codes answered to a request that reaches no operation (a method its path lacks): none lists them. */
const ROUTER_CODES = ['METHOD_NOT_ALLOWED'];

/** The rows of the markdown table that follows `heading` (first cell, all cells). */
function tableAfter(heading: string): string[][] {
  const at = doc.indexOf(heading);
  if (at < 0) throw new Error(`docs/api.md has no "${heading}"`);
  const lines = doc.slice(at).split('\n').slice(1);
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim().replace(/\\\|/g, '|'));
    if (cells.every((c) => /^-+$/.test(c)) || /^(method and path|code|path)$/.test(cells[0]))
      continue;
    rows.push(cells);
  }
  return rows;
}

/** The keys of the first JSON object in the code block after `heading`. */
function jsonKeysAfter(heading: string): string[] {
  const block = /```json\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf(heading)))![1];
  return Object.keys(JSON.parse(block.replace(/"string\|null"/g, '"x"')) as object);
}

/**
 * `value` as this test reads it: present, and the object itself. openapi.json holds no `$ref`
 * where the test looks; one there is an error, not a disagreement, as this test does not follow it.
 */
function inline<T extends object>(
  value: T | OpenAPIV3.ReferenceObject | undefined,
  where: string,
): T {
  if (value === undefined) throw new Error(`openapi.json has no ${where}`);
  if ('$ref' in value) throw new Error(`openapi.json: ${where} is a $ref, not followed here`);
  return value;
}

const statuses = (text: string) => [...text.matchAll(/\b([1-5]\d\d)\b/g)].map((m) => m[1]);
const schema = (name: string) => inline(openapi.components?.schemas?.[name], `schema ${name}`);
const fieldsOf = (name: string) => Object.keys(schema(name).properties ?? {});
const operation = (method: string, path: string) =>
  openapi.paths[path]?.[method.toLowerCase() as OpenAPIV3.HttpMethods];

const METHODS = new Set<string>(Object.values(OpenAPIV3.HttpMethods));
const isMethod = (key: string): key is OpenAPIV3.HttpMethods => METHODS.has(key);
/** Every operation in openapi.json as [path, method, operation], in the document's order. */
function operations(): Array<[string, OpenAPIV3.HttpMethods, OpenAPIV3.OperationObject]> {
  const found: Array<[string, OpenAPIV3.HttpMethods, OpenAPIV3.OperationObject]> = [];
  for (const [path, item] of Object.entries(openapi.paths))
    for (const method of Object.keys(item ?? {}).filter(isMethod)) {
      const op = item?.[method];
      if (op) found.push([path, method, op]);
    }
  return found;
}

function disagreements(): string[] {
  const found: string[] = [];
  const note = (line: string) => found.push(line);

  // Routes, methods and statuses.
  const routes = tableAfter('## Endpoints');
  const documented = new Set<string>();
  let previousErrors: string[] = [];
  for (const [route, success, errors] of routes) {
    const [method, path] = route.replace(/`/g, '').replace(' (ext)', '').split(' ');
    documented.add(`${method} ${path}`);
    const op = operation(method, path);
    if (!op) {
      note(`${method} ${path}: not in openapi.json`);
      continue;
    }
    const responses = Object.keys(op.responses);
    const wanted = success.startsWith('same') ? undefined : statuses(success)[0];
    if (wanted && !responses.includes(wanted))
      note(`${method} ${path}: ${wanted} not in openapi.json`);
    const errorStatuses = errors === 'same' ? previousErrors : statuses(errors);
    previousErrors = errorStatuses;
    for (const status of errorStatuses)
      if (!responses.includes(status)) note(`${method} ${path}: ${status} not in openapi.json`);
  }
  for (const [path, method] of operations())
    if (path.startsWith('/api/') && !documented.has(`${method.toUpperCase()} ${path}`))
      note(`${method.toUpperCase()} ${path}: not in docs/api.md`);
  // The per-user limit answers a create (### Limits).
  const quota = /a create beyond it →\s+(\d{3})/.exec(doc)?.[1];
  if (quota && !operation('POST', '/api/{user_id}/tasks')?.responses[quota])
    note(`POST /api/{user_id}/tasks: ${quota} not in openapi.json`);
  // Statuses every route may answer (429, 500, 503) are documented once, under Errors.
  for (const [route] of tableAfter('## Health')) {
    const [method, path] = route.replace(/`/g, '').split(' ');
    if (!operation(method, path)) note(`${method} ${path}: not in openapi.json`);
  }

  // Error codes and the statuses they come with.
  const codes: Record<string, string> = {};
  for (const [names, status] of tableAfter('## Errors'))
    for (const code of names.split('/').map((c) => c.trim())) codes[code] = statuses(status)[0];
  const enumCodes = schema('ErrorCode').enum as string[];
  for (const code of Object.keys(codes))
    if (!enumCodes.includes(code)) note(`error code ${code}: not in openapi.json`);
  for (const code of enumCodes) if (!codes[code]) note(`error code ${code}: not in docs/api.md`);
  for (const [code, status] of Object.entries(codes)) {
    if (!enumCodes.includes(code) || ROUTER_CODES.includes(code)) continue;
    const answeredWith = operations().some(([, , op]) =>
      JSON.stringify(op.responses[status] ?? {}).includes(`"${code}"`),
    );
    if (!answeredWith) note(`error code ${code}: no ${status} response carries it in openapi.json`);
  }

  // Bodies: the error body and the task resource, field by field.
  const errorFields = fieldsOf('Error');
  for (const field of jsonKeysAfter('## Errors'))
    if (!errorFields.includes(field)) note(`error body: field ${field} not in openapi.json`);
  for (const field of errorFields)
    if (!jsonKeysAfter('## Errors').includes(field))
      note(`error body: field ${field} not in docs/api.md`);
  const taskFields = fieldsOf('Task').sort();
  if (jsonKeysAfter('## Task resource').sort().join() !== taskFields.join())
    note(`task resource: fields ${taskFields.join(', ')} in openapi.json`);

  // Field rules: lengths and refused characters.
  const titleMax = Number(/`title`: .*?1\.\.(\d+) characters/.exec(doc)![1]);
  const descriptionMax = Number(
    /`description`: .*?at most ([\d,]+) characters/.exec(doc)![1].replace(/,/g, ''),
  );
  for (const name of ['CreateTask', 'UpdateTask']) {
    const fields = schema(name).properties ?? {};
    const title = inline(fields.title, `${name}.title`);
    const description = inline(fields.description, `${name}.description`);
    if (title.maxLength !== titleMax) note(`${name}.title: maxLength ${title.maxLength}`);
    if (description.maxLength !== descriptionMax)
      note(`${name}.description: maxLength ${description.maxLength}`);
    for (const [field, rule] of [
      ['title', title],
      ['description', description],
    ] as const)
      if (!rule.pattern || new RegExp(rule.pattern, 'u').test('a\u0001b'))
        note(`${name}.${field}: accepts a control character (U+0001)`);
    if (!new RegExp(description.pattern ?? '', 'u').test('a\tb\nc\rd'))
      note(`${name}.description: refuses tab, line feed or carriage return`);
  }

  // Listing parameters.
  const params = Object.fromEntries(
    (operation('GET', '/api/{user_id}/tasks')?.parameters ?? []).map(
      (parameter): [string, OpenAPIV3.SchemaObject] => {
        const p = inline(parameter, 'listing parameter');
        return [p.name, inline(p.schema, `listing parameter ${p.name}'s schema`)];
      },
    ),
  );
  const [, min, max, byDefault] = /`limit` (\d+)\.\.(\d+), default (\d+)/.exec(doc)!.map(Number);
  if (
    params.limit.minimum !== min ||
    params.limit.maximum !== max ||
    params.limit.default !== byDefault
  )
    note(`limit: ${JSON.stringify(params.limit)}`);
  if (params.order.enum?.join('|') !== /`order=([a-z|]+)`/.exec(doc)![1])
    note(`order: ${String(params.order.enum)}`);
  if (params.completed.type !== 'boolean') note('completed: not a boolean');
  if (!params.cursor) note('cursor: not in openapi.json');

  // Headers the contract names.
  const headers = (method: string, path: string, status: string) => {
    const response = inline(
      operation(method, path)?.responses[status],
      `${method} ${path} ${status}`,
    );
    return Object.keys(response.headers ?? {});
  };
  const expectHeader = (method: string, path: string, status: string, header: string) => {
    if (!headers(method, path, status).includes(header))
      note(`${method} ${path} ${status}: header ${header} not in openapi.json`);
  };
  expectHeader('POST', '/api/{user_id}/tasks', '201', 'Location');
  expectHeader('GET', '/api/{user_id}/tasks', '200', 'Link');
  expectHeader('GET', '/api/{user_id}/tasks', '200', 'X-Next-Cursor');
  expectHeader('GET', '/api/{user_id}/tasks', '200', 'Cache-Control');
  for (const [path, method, op] of operations()) {
    if (!path.startsWith('/api/')) continue;
    for (const status of Object.keys(op.responses)) {
      expectHeader(method, path, status, 'X-Request-Id');
      if (status === '401') expectHeader(method, path, status, 'WWW-Authenticate');
      if (status === '429' || status === '503') expectHeader(method, path, status, 'Retry-After');
    }
  }
  return [...new Set(found)];
}

describe('docs/api.md and openapi.json describe the same API', () => {
  it('agree on routes, methods, statuses, error codes, bodies, field rules, parameters and headers', () => {
    expect(disagreements()).toEqual(NOT_YET_IN_OPENAPI);
  });

  it('would notice a disagreement: a route missing from the document', () => {
    const item = inline(openapi.paths['/api/{user_id}/tasks/{task_id}'], 'task path');
    const saved = item.delete;
    delete item.delete;
    try {
      expect(disagreements()).toContain(
        'DELETE /api/{user_id}/tasks/{task_id}: not in openapi.json',
      );
    } finally {
      item.delete = saved;
    }
  });
});
