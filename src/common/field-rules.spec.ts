import { booleanRule, checkFor, schemaFor, textRule } from './field-rules';

const name = textRule({ trim: true, minLength: 2, maxLength: 4, description: 'A name.' });
const note = textRule({ maxLength: 3, nullable: true, description: 'A note.', example: 'hi' });
const flag = booleanRule({ description: 'A flag.', example: true });

describe('field rules', () => {
  it('text: trimmed when the rule says so, bounded in code points, NUL and lone surrogates refused', () => {
    const check = checkFor('name', name);
    expect(check('  ab ')).toEqual({ value: 'ab' });
    expect(check('😀😀😀😀')).toEqual({ value: '😀😀😀😀' });
    for (const bad of [' a ', '😀', 'abcde']) {
      expect(check(bad)).toEqual({ error: 'name must be 2 to 4 characters after trimming' });
    }
    expect(check(null)).toEqual({ error: 'name must be a string' });
    expect(check('a\u0000b')).toEqual({ error: 'name must not contain NUL characters' });
    expect(check('a\ud800b')).toEqual({ error: 'name must be valid Unicode (no lone surrogates)' });
  });

  it('text: null when nullable, stored as sent otherwise', () => {
    const check = checkFor('note', note);
    expect(check(null)).toEqual({ value: null });
    expect(check(' x ')).toEqual({ value: ' x ' });
    expect(check('abcd')).toEqual({ error: 'note must be at most 3 characters' });
    expect(check(1)).toEqual({ error: 'note must be a string or null' });
  });

  it('boolean: a JSON boolean only', () => {
    const check = checkFor('flag', flag);
    expect(check(false)).toEqual({ value: false });
    for (const bad of ['true', null, 1]) {
      expect(check(bad)).toEqual({ error: 'flag must be true or false' });
    }
  });

  it('makes the OpenAPI schema from the same rule', () => {
    expect(schemaFor(name)).toEqual({
      type: String,
      minLength: 2,
      maxLength: 4,
      pattern: '^[^\\u0000]*$',
      description: 'A name.',
      example: undefined,
    });
    expect(schemaFor(note)).toMatchObject({ maxLength: 3, nullable: true, example: 'hi' });
    expect(schemaFor(note)).not.toHaveProperty('minLength');
    expect(schemaFor(flag)).toEqual({ type: Boolean, description: 'A flag.', example: true });
  });
});
