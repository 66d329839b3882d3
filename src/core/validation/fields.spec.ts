import type { Type } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { ApiError } from '../errors/api-error';
import {
  BooleanField,
  BooleanParam,
  EnumParam,
  IntegerParam,
  refusedControls,
  TextField,
  type TextRule,
} from './fields';
import { InputValidationPipe } from './input-validation.pipe';

const NAME: TextRule = { trim: true, minLength: 2, maxLength: 4, description: 'A name.' };
const NOTE: TextRule = { maxLength: 3, nullable: true, description: 'A note.', example: 'hi' };
const LINES: TextRule = { maxLength: 9, multiline: true, description: 'Lines.' };

class Named {
  @TextField(NAME)
  x?: string;
}
class Titled {
  @TextField({ trim: true, minLength: 1, maxLength: 5, description: 'A title.' })
  x?: string;
}
class Noted {
  @TextField(NOTE, { default: null })
  x?: string | null;
}
class Lined {
  @TextField(LINES)
  x?: string;
}
class Flagged {
  @BooleanField({ description: 'A flag.', example: true }, { required: true })
  x: boolean;
}
class Paged {
  @IntegerParam({ min: 1, max: 500, default: 100, description: 'Page size.' })
  x: number;
}
class Offset {
  @IntegerParam({ min: 0, max: 9, description: 'An offset.' })
  x?: number;
}
class Switched {
  @BooleanParam({ default: false, description: 'A switch.' })
  x: boolean;
}
class Sorted {
  @EnumParam({ values: ['desc', 'asc'], default: 'desc', description: 'Order.' })
  x: string;
}

const pipe = new InputValidationPipe();

/** What the pipe makes of `{x: value}`: the value, or the message about `x`. */
function outcome(type: Type, value: unknown, kind: 'body' | 'query' = 'body'): unknown {
  try {
    return (pipe.transform({ x: value }, { type: kind, metatype: type }) as { x: unknown }).x;
  } catch (error) {
    return { error: ((error as ApiError).details.fields as Record<string, string[]>).x[0] };
  }
}

const documented = (type: Type) =>
  Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, type.prototype as object, 'x') as object;

describe('TextField', () => {
  it('trimmed when the rule says so, bounded in code points, blank refused', () => {
    expect(outcome(Named, '  ab ')).toBe('ab');
    expect(outcome(Named, '😀😀😀😀')).toBe('😀😀😀😀');
    expect(outcome(Named, ' a ')).toEqual({ error: 'at least 2 characters' });
    expect(outcome(Named, '😀')).toEqual({ error: 'at least 2 characters' });
    expect(outcome(Named, 'abcde')).toEqual({ error: 'at most 4 characters' });
    expect(outcome(Named, null)).toEqual({ error: 'must be a string' });
    expect(outcome(Named, ['ab'])).toEqual({ error: 'must be a string' });
  });

  it('one character required: blank (or only white space) is refused as blank', () => {
    expect(outcome(Titled, ' a ')).toBe('a');
    expect(outcome(Titled, '😀')).toBe('😀');
    for (const blank of ['', '   ', '\t']) {
      expect(outcome(Titled, blank)).toEqual({ error: 'must not be blank' });
    }
    expect(documented(Titled)).toMatchObject({ minLength: 1, maxLength: 5 });
  });

  it('control characters (C0, DEL) and lone surrogates refused; trimmed white space is not in the text', () => {
    for (const control of ['a\u0000b', 'a\u0001', 'a\tb', 'a\nb', 'a\u001fb', 'a\u007fb']) {
      expect(outcome(Named, control)).toEqual({ error: 'must not contain control characters' });
    }
    expect(outcome(Named, '\tab\r\n')).toBe('ab');
    expect(outcome(Named, 'a\u0080b')).toBe('a\u0080b');
    expect(outcome(Named, 'a\ud800b')).toEqual({
      error: 'must be valid Unicode (no lone surrogates)',
    });
    expect(outcome(Named, '\ud83d\ude00!')).toBe('😀!');
  });

  it('null when nullable (the default when absent), kept as sent otherwise', () => {
    expect(outcome(Noted, null)).toBeNull();
    expect(outcome(Noted, undefined)).toBeNull();
    expect(outcome(Noted, ' x ')).toBe(' x ');
    expect(outcome(Noted, '')).toBe('');
    expect(outcome(Noted, 'abcd')).toEqual({ error: 'at most 3 characters' });
    expect(outcome(Noted, 1)).toEqual({ error: 'must be a string or null' });
  });

  it('multi-line: tab, line feed and carriage return only', () => {
    expect(outcome(Lined, 'a\tb\nc\r\n')).toBe('a\tb\nc\r\n');
    for (const control of ['\u0000', '\u0008', '\u000b', '\u000c', '\u000e', '\u001f', '\u007f']) {
      expect(outcome(Lined, `a${control}`)).toEqual({
        error: 'must not contain control characters other than tab, line feed and carriage return',
      });
    }
  });

  it('the OpenAPI pattern refuses exactly what the check refuses', () => {
    for (const type of [Named, Lined]) {
      const { pattern } = documented(type) as { pattern: string };
      const matches = new RegExp(pattern, 'u');
      for (let code = 0; code <= 0xa0; code++) {
        const text = `a${String.fromCharCode(code)}b`;
        const accepted = typeof outcome(type, text) === 'string';
        expect({ code, pattern: matches.test(text) }).toEqual({ code, pattern: accepted });
      }
    }
    expect(refusedControls(false)).toBe('\\u0000-\\u001F\\u007F');
  });

  it('documents the same rule', () => {
    expect(documented(Named)).toMatchObject({
      type: String,
      minLength: 2,
      maxLength: 4,
      pattern: '^[^\\u0000-\\u001F\\u007F]*$',
      description: 'A name.',
      required: false,
    });
    expect(documented(Noted)).toMatchObject({ maxLength: 3, nullable: true, default: null });
    expect(documented(Noted)).not.toHaveProperty('minLength');
    expect(documented(Named)).not.toHaveProperty('nullable');
  });
});

describe('BooleanField', () => {
  it('a JSON boolean only, required here', () => {
    expect(outcome(Flagged, false)).toBe(false);
    for (const bad of ['true', null, 1]) {
      expect(outcome(Flagged, bad)).toEqual({ error: 'must be true or false' });
    }
    expect(outcome(Flagged, undefined)).toEqual({ error: 'is required' });
    expect(documented(Flagged)).toMatchObject({
      type: Boolean,
      description: 'A flag.',
      example: true,
      required: true,
    });
  });
});

describe('query parameters', () => {
  it('IntegerParam: decimal digits within the range, as a number; the default when absent', () => {
    expect(outcome(Paged, '500', 'query')).toBe(500);
    expect(outcome(Paged, '007', 'query')).toBe(7);
    expect(outcome(Paged, '5', 'query')).toBe(5);
    // Up to 15 digits, so a number is exact (below 2^53) before the range is judged.
    expect(outcome(Paged, '000000000000123', 'query')).toBe(123);
    expect(outcome(Paged, '0000000000000123', 'query')).toEqual({
      error: 'must be an integer from 1 to 500',
    });
    // Empty is not zero, and a sign is not a digit, even where 0 is in the range.
    expect(outcome(Offset, '0', 'query')).toBe(0);
    for (const bad of ['', '-0', '+0']) {
      expect(outcome(Offset, bad, 'query')).toEqual({ error: 'must be an integer from 0 to 9' });
    }
    expect(outcome(Paged, undefined, 'query')).toBe(100);
    for (const bad of ['0', '501', 'abc', '1.5', '-1', '', '1e2', ' 5', '5 ', '0x10', '１']) {
      expect(outcome(Paged, bad, 'query')).toEqual({
        error: 'must be an integer from 1 to 500',
      });
    }
    expect(documented(Paged)).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 500,
      default: 100,
    });
  });

  it('EnumParam: one of the values, spelled exactly', () => {
    expect(outcome(Sorted, 'asc', 'query')).toBe('asc');
    expect(outcome(Sorted, undefined, 'query')).toBe('desc');
    for (const bad of ['DESC', 'up', '']) {
      expect(outcome(Sorted, bad, 'query')).toEqual({ error: 'must be desc or asc' });
    }
    expect(documented(Sorted)).toMatchObject({ enum: ['desc', 'asc'], default: 'desc' });
  });

  it('BooleanParam: true or false, spelled exactly, as a boolean; the default when absent', () => {
    expect(outcome(Switched, 'true', 'query')).toBe(true);
    expect(outcome(Switched, 'false', 'query')).toBe(false);
    expect(outcome(Switched, undefined, 'query')).toBe(false);
    for (const bad of ['TRUE', 'False', '1', '0', 'yes', '']) {
      expect(outcome(Switched, bad, 'query')).toEqual({ error: 'must be true or false' });
    }
    expect(documented(Switched)).toMatchObject({
      type: Boolean,
      description: 'A switch.',
      default: false,
      required: false,
    });
  });
});
