import { ApiError } from '../errors/api-error';
import type { FieldCheck } from './field-rules';
import {
  JsonBodyPipe,
  MAX_BODY_DEPTH,
  nestsDeeperThan,
  UNKNOWN_FIELD_NAME_MAX,
  UNKNOWN_FIELDS_LISTED,
} from './json-body.pipe';

const upper: FieldCheck = (v) =>
  typeof v === 'string' ? { value: v.toUpperCase() } : { error: 'a must be a string' };
const flag: FieldCheck = (v) =>
  typeof v === 'boolean' ? { value: v } : { error: 'b must be a boolean' };
const pipe = new JsonBodyPipe({ fields: { a: upper, b: flag }, required: ['a'] });

function refusal(run: () => unknown): { message: string; fields: Record<string, string[]> } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const { code, message, details } = (error as ApiError).getResponse() as {
      code: string;
      message: string;
      details: { fields: Record<string, string[]> };
    };
    expect(code).toBe('VALIDATION_ERROR');
    return { message, fields: details.fields };
  }
  throw new Error('accepted');
}

describe('JsonBodyPipe', () => {
  it('gives a new object with the checked values of the fields sent', () => {
    const body = { a: 'x' };
    expect(pipe.transform(body)).toEqual({ a: 'X' });
    expect(body).toEqual({ a: 'x' });
    expect(pipe.transform({ a: 'x', b: false })).toEqual({ a: 'X', b: false });
  });

  it('refuses anything but a JSON object, and a missing body unless it is optional', () => {
    for (const value of [[], null, 'x', 1, true, undefined]) {
      expect(refusal(() => pipe.transform(value))).toEqual({
        message: 'Request body must be a JSON object',
        fields: { body: ['must be a JSON object'] },
      });
    }
    const optional = new JsonBodyPipe({ fields: { b: flag }, optional: true });
    expect(optional.transform(undefined)).toBeUndefined();
    expect(optional.transform({})).toEqual({});
    expect(refusal(() => optional.transform(null)).fields).toEqual({
      body: ['must be a JSON object'],
    });
  });

  it('lists every problem by field: unknown fields, a missing required one, bad values', () => {
    expect(refusal(() => pipe.transform({ b: 'no', c: 1, constructor: 2 }))).toEqual({
      message: 'Request validation failed',
      fields: {
        a: ['a must be a string'],
        b: ['b must be a boolean'],
        c: ['is not an accepted field'],
        constructor: ['is not an accepted field'],
      },
    });
  });

  it('names a __proto__ key as the unknown field it is', () => {
    const body = JSON.parse('{"a":"x","__proto__":{"polluted":true}}') as unknown;
    const { fields } = refusal(() => pipe.transform(body));
    expect(Object.keys(fields)).toEqual(['__proto__']);
    expect(JSON.stringify(fields)).toBe('{"__proto__":["is not an accepted field"]}');
  });

  it('lists at most the first few unknown fields, names cut short, and counts them all', () => {
    const body: Record<string, unknown> = { a: 'x', ['n'.repeat(1000)]: 1 };
    for (let i = 0; i < 5000; i++) body[`k${i}`] = i;
    let details: Record<string, unknown> = {};
    try {
      pipe.transform(body);
    } catch (error) {
      details = (error as ApiError).details;
    }
    const listed = Object.keys(details.fields as object);
    expect(listed).toHaveLength(UNKNOWN_FIELDS_LISTED);
    expect(listed[0]).toBe(`${'n'.repeat(UNKNOWN_FIELD_NAME_MAX)}…`);
    expect(listed[1]).toBe('k0');
    expect(details.unknown_fields).toBe(5001);
  });

  it('refuses a body nested deeper than the limit before looking at its fields', () => {
    let deep: unknown = [];
    for (let i = 0; i < MAX_BODY_DEPTH; i++) deep = [deep];
    expect(refusal(() => pipe.transform({ a: 'x', deep }))).toEqual({
      message: 'Request body nests too deeply',
      fields: { body: [`must not nest deeper than ${MAX_BODY_DEPTH} levels`] },
    });
  });
});

describe('JsonBodyPipe with atLeastOne', () => {
  it('refuses a body that sends none of the fields, after checking the ones it sends', () => {
    const partial = new JsonBodyPipe({ fields: { a: upper, b: flag }, atLeastOne: true });
    expect(partial.transform({ b: true })).toEqual({ b: true });
    expect(refusal(() => partial.transform({}))).toEqual({
      message: 'At least one of a, b is required',
      fields: { body: ['must set at least one of a, b'] },
    });
    expect(refusal(() => partial.transform({ c: 1 })).fields).toEqual({
      c: ['is not an accepted field'],
    });
  });
});

describe('nestsDeeperThan', () => {
  it('measures depth iteratively, objects and arrays alike', () => {
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: 1 }, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestsDeeperThan({ a: { b: [1] } }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: { b: [[1]] } }, 3)).toBe(true);
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestsDeeperThan({ deep }, MAX_BODY_DEPTH)).toBe(true);
  });
});
