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
    for (const control of ['a\u0000b', 'a\u0001', 'a\tb', 'a\nb', 'a\u001fb', 'a\u007fb']) {
      expect(check(control)).toEqual({ error: 'name must not contain control characters' });
    }
    // trimmed first: white space around the text is not in it
    expect(check('\tab\r\n')).toEqual({ value: 'ab' });
    expect(check('a\u0080b')).toEqual({ value: 'a\u0080b' });
    expect(check('a\ud800b')).toEqual({ error: 'name must be valid Unicode (no lone surrogates)' });
  });

  it('text: null when nullable, stored as sent otherwise', () => {
    const check = checkFor('note', note);
    expect(check(null)).toEqual({ value: null });
    expect(check(' x ')).toEqual({ value: ' x ' });
    expect(check('abcd')).toEqual({ error: 'note must be at most 3 characters' });
    expect(check(1)).toEqual({ error: 'note must be a string or null' });
  });

  it('text: tab, line feed and carriage return only where the rule allows line breaks', () => {
    const lines = textRule({ maxLength: 9, allowLineBreaks: true, description: 'Lines.' });
    const check = checkFor('lines', lines);
    expect(check('a\tb\nc\r\n')).toEqual({ value: 'a\tb\nc\r\n' });
    for (const control of ['\u0000', '\u0008', '\u000b', '\u000c', '\u000e', '\u001f', '\u007f']) {
      expect(check(`a${control}`)).toEqual({
        error:
          'lines must not contain control characters other than tab, line feed and carriage return',
      });
    }
  });

  it('the OpenAPI pattern refuses exactly what the check refuses', () => {
    const lines = textRule({ maxLength: 9, allowLineBreaks: true, description: 'Lines.' });
    for (const rule of [name, lines]) {
      const pattern = new RegExp(schemaFor(rule).pattern!, 'u');
      const check = checkFor('x', { ...rule, trim: false, minLength: 0, maxLength: 9 });
      for (let code = 0; code <= 0xa0; code++) {
        const text = `a${String.fromCharCode(code)}`;
        expect({ code, pattern: pattern.test(text) }).toEqual({
          code,
          pattern: 'value' in check(text),
        });
      }
    }
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
      pattern: '^[^\\u0000-\\u001F\\u007F]*$',
      description: 'A name.',
      example: undefined,
    });
    expect(schemaFor(note)).toMatchObject({ maxLength: 3, nullable: true, example: 'hi' });
    expect(schemaFor(note)).not.toHaveProperty('minLength');
    expect(schemaFor(flag)).toEqual({ type: Boolean, description: 'A flag.', example: true });
  });
});
