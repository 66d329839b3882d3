import type { ArgumentMetadata } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { BooleanField, BooleanParam, TextField } from './fields';
import {
  InputValidationPipe,
  MAX_INPUT_DEPTH,
  nestsDeeperThan,
  UNKNOWN_FIELD_NAME_MAX,
  UNKNOWN_FIELDS_LISTED,
} from './input-validation.pipe';
import { InputShape } from './shape';

const NAME = { trim: true, minLength: 1, maxLength: 4, description: 'A name.' };

@InputShape({ name: 'Probe', description: 'A probe body.' })
class Probe {
  @TextField(NAME, { required: true })
  name: string;

  @BooleanField({ description: 'A flag.' }, { default: false })
  flag?: boolean;
}

@InputShape({ name: 'ProbeChange', description: 'A partial probe.', atLeastOne: true })
class ProbeChange {
  @TextField(NAME)
  name?: string;

  @BooleanField({ description: 'A flag.' })
  flag?: boolean;
}

@InputShape({ name: 'ProbeToggle', description: 'An optional body.', optional: true })
class ProbeToggle {
  @BooleanField({ description: 'A flag.' })
  flag?: boolean;
}

class ProbeQuery {
  @BooleanParam({ description: 'A filter.' })
  done?: boolean;
}

class Undeclared {}

const pipe = new InputValidationPipe();
const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'body',
  metatype,
});
const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'query',
  metatype,
});

interface Refusal {
  message: string;
  fields: Record<string, string[]>;
  details: Record<string, unknown>;
}

function refusal(run: () => unknown): Refusal {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const { code, message, details } = error as ApiError;
    expect(code).toBe('VALIDATION_ERROR');
    return { message, fields: details.fields as Record<string, string[]>, details };
  }
  throw new Error('accepted');
}

describe('InputValidationPipe', () => {
  it('gives a new instance of the class with the declared fields, read, checked, defaults filled', () => {
    const sent = { name: '  ab ' };
    const out = pipe.transform(sent, body(Probe));
    expect(out).toBeInstanceOf(Probe);
    expect({ ...(out as Probe) }).toEqual({ name: 'ab', flag: false });
    expect(sent).toEqual({ name: '  ab ' });
    expect(pipe.transform({ name: 'a', flag: true }, body(Probe))).toEqual({
      name: 'a',
      flag: true,
    });
  });

  it('leaves path parameters and custom arguments alone', () => {
    expect(pipe.transform('x', { type: 'param', metatype: String, data: 'id' })).toBe('x');
    expect(pipe.transform({ a: 1 }, { type: 'custom', metatype: Object })).toEqual({ a: 1 });
  });

  it('refuses anything but a JSON object, and a missing body unless it is optional', () => {
    for (const value of [[], null, 'x', 1, true, undefined]) {
      expect(refusal(() => pipe.transform(value, body(Probe)))).toMatchObject({
        message: 'body: must be a JSON object',
        fields: { body: ['must be a JSON object'] },
      });
    }
    expect(pipe.transform(undefined, body(ProbeToggle))).toBeUndefined();
    expect({ ...(pipe.transform({}, body(ProbeToggle)) as object) }).toEqual({});
    expect(refusal(() => pipe.transform(null, body(ProbeToggle))).message).toBe(
      'body: must be a JSON object',
    );
  });

  it('names the first problem in the message, counts the others, and lists each by field', () => {
    expect(refusal(() => pipe.transform({}, body(Probe)))).toMatchObject({
      message: 'name: is required',
      fields: { name: ['is required'] },
    });
    const all = refusal(() =>
      pipe.transform({ c: 1, name: ' ', flag: 'no', constructor: 2 }, body(Probe)),
    );
    expect(all.message).toBe('name: must not be blank (and 3 more)');
    expect(all.fields).toEqual({
      name: ['must not be blank'],
      flag: ['must be true or false'],
      c: ['is not an accepted field'],
      constructor: ['is not an accepted field'],
    });
    expect(refusal(() => pipe.transform({ name: 'a', x: 1 }, body(Probe))).message).toBe(
      'x: is not an accepted field',
    );
  });

  it('names a __proto__ key as the unknown field it is, and assigns it nowhere', () => {
    const sent = JSON.parse('{"name":"x","__proto__":{"polluted":true}}') as unknown;
    const { fields } = refusal(() => pipe.transform(sent, body(Probe)));
    expect(JSON.stringify(fields)).toBe('{"__proto__":["is not an accepted field"]}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('lists at most the first few unknown fields, names cut short, and counts them all', () => {
    const sent: Record<string, unknown> = { name: 'x', ['n'.repeat(1000)]: 1 };
    for (let i = 0; i < 5000; i++) sent[`k${i}`] = i;
    const { message, fields, details } = refusal(() => pipe.transform(sent, body(Probe)));
    const listed = Object.keys(fields);
    expect(listed).toHaveLength(UNKNOWN_FIELDS_LISTED);
    expect(listed[0]).toBe(`${'n'.repeat(UNKNOWN_FIELD_NAME_MAX)}…`);
    expect(listed[1]).toBe('k0');
    expect(details.unknown_fields).toBe(5001);
    expect(message).toBe(`${listed[0]}: is not an accepted field (and 5000 more)`);
  });

  it('refuses a body nested deeper than the limit before looking at its fields', () => {
    let deep: unknown = [];
    for (let i = 0; i < MAX_INPUT_DEPTH; i++) deep = [deep];
    expect(refusal(() => pipe.transform({ name: 'x', deep }, body(Probe)))).toMatchObject({
      message: `body: must not nest deeper than ${MAX_INPUT_DEPTH} levels`,
      fields: { body: [`must not nest deeper than ${MAX_INPUT_DEPTH} levels`] },
    });
  });

  it('at least one field: checked after the fields that were sent', () => {
    expect({ ...(pipe.transform({ flag: true }, body(ProbeChange)) as object) }).toEqual({
      flag: true,
    });
    expect(refusal(() => pipe.transform({}, body(ProbeChange)))).toMatchObject({
      message: 'body: must set at least one of name, flag',
      fields: { body: ['must set at least one of name, flag'] },
    });
    expect(refusal(() => pipe.transform({ c: 1 }, body(ProbeChange))).fields).toEqual({
      c: ['is not an accepted field'],
    });
    expect(refusal(() => pipe.transform({ name: null }, body(ProbeChange))).fields).toEqual({
      name: ['must be a string'],
    });
  });

  it('a query: unknown parameters refused like unknown fields, a repeated one too', () => {
    expect({ ...(pipe.transform({ done: 'true' }, query(ProbeQuery)) as object) }).toEqual({
      done: true,
    });
    expect(
      refusal(() => pipe.transform({ done: 'false', _: '1' }, query(ProbeQuery))).message,
    ).toBe('_: is not an accepted field');
    expect(
      refusal(() => pipe.transform({ done: ['true', 'false'] }, query(ProbeQuery))),
    ).toMatchObject({
      message: 'done: must be given once',
      fields: { done: ['must be given once'] },
    });
  });

  it('a body or query of a class that declares no field is a programming error, not a 400', () => {
    expect(() => pipe.transform({}, body(Undeclared))).toThrow(
      'body of Undeclared: not an input class',
    );
    expect(() => pipe.transform({}, query(undefined))).toThrow(
      'query of undefined: not an input class',
    );
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
    expect(nestsDeeperThan({ deep }, MAX_INPUT_DEPTH)).toBe(true);
  });
});
