import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { type ApiError, type FieldErrors, validationError } from '../errors/api-error';
import { shapeOf } from './shape';

/** No input nests; refusing deep ones first keeps later steps safe from a 5,000-level array. */
export const MAX_INPUT_DEPTH = 16;

/** An answer lists this many unknown fields at most, names cut short, and counts them all. */
export const UNKNOWN_FIELDS_LISTED = 10;
export const UNKNOWN_FIELD_NAME_MAX = 64;

const VALIDATOR_OPTIONS: ValidatorOptions = {
  stopAtFirstError: true,
  validationError: { target: false, value: false },
};

/**
 * Checks every `@Body()` and `@Query()` against its input class and gives the handler a new
 * instance of the declared fields only (read, checked, defaulted); anything else is 400.
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  transform(value: unknown, { type, metatype }: ArgumentMetadata): unknown {
    if (type !== 'body' && type !== 'query') return value;
    const shape = shapeOf(metatype);
    if (shape === undefined) throw new Error(`${type} of ${metatype?.name}: not an input class`);
    if (value === undefined && shape.options.optional) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw refusal({ body: ['must be a JSON object'] });
    }
    if (nestsDeeperThan(value, MAX_INPUT_DEPTH)) {
      throw refusal({ body: [`must not nest deeper than ${MAX_INPUT_DEPTH} levels`] });
    }
    const given = value as Record<string, unknown>;
    const input = Object.create(shape.type.prototype as object) as Record<string, unknown>;
    const problems = new Map<string, string[]>();
    let sent = 0;
    for (const field of shape.fields.values()) {
      const raw = given[field.name];
      if (raw === undefined) continue;
      sent++;
      if (type === 'query' && Array.isArray(raw)) problems.set(field.name, ['must be given once']);
      else input[field.name] = field.read ? field.read(raw) : raw;
    }
    const errors = sent > 0 || shape.required ? validateSync(input, VALIDATOR_OPTIONS) : [];
    for (const error of errors) {
      problems.set(error.property, Object.values(error.constraints ?? {}));
    }
    // In declared order (class-validator puts a subclass's fields first). No prototype: an
    // unknown `__proto__` (JSON.parse makes it an own key) is listed as itself.
    const fields = Object.create(null) as FieldErrors;
    for (const name of shape.fields.keys()) {
      if (problems.has(name)) fields[name] = problems.get(name)!;
    }
    const unknown = Object.keys(given).filter((name) => !shape.fields.has(name));
    if (problems.size + unknown.length > 0) throw refusal(fields, unknown);
    if (sent === 0 && shape.options.atLeastOne) {
      throw refusal({ body: [`must set at least one of ${[...shape.fields.keys()].join(', ')}`] });
    }
    for (const { name, default: value } of shape.fields.values()) {
      if (value !== undefined && input[name] === undefined) input[name] = value;
    }
    return input;
  }
}

/** "title: must not be blank (and 2 more)": the first problem, in words a person can act on. */
export function refusal(fields: FieldErrors, unknownNames: string[] = []): ApiError {
  for (const name of unknownNames.slice(0, UNKNOWN_FIELDS_LISTED)) {
    fields[shortName(name)] = ['is not an accepted field'];
  }
  const unknown = unknownNames.length;
  const names = Object.keys(fields);
  const more = names.length - 1 + Math.max(0, unknown - UNKNOWN_FIELDS_LISTED);
  const message = `${names[0]}: ${fields[names[0]][0]}${more > 0 ? ` (and ${more} more)` : ''}`;
  const error = validationError(message, fields);
  if (unknown > UNKNOWN_FIELDS_LISTED) error.details.unknown_fields = unknown;
  return error;
}

function shortName(name: string): string {
  return name.length > UNKNOWN_FIELD_NAME_MAX ? `${name.slice(0, UNKNOWN_FIELD_NAME_MAX)}…` : name;
}

/** Iterative, so the check itself cannot overflow; stops at the first value past the limit. */
export function nestsDeeperThan(root: object, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const child of Object.values(value as object)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
