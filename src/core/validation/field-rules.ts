import type { ApiPropertyOptions } from '@nestjs/swagger';
import { hasFewerCodePointsThan, hasMoreCodePointsThan } from './code-points';

/** What one field's check found: the value to use (trimmed, say), or what is wrong with it. */
export type FieldOutcome = { value: unknown } | { error: string };
export type FieldCheck = (value: unknown) => FieldOutcome;

/**
 * A JSON string. Lengths are Unicode code points, as PostgreSQL counts them. Control characters
 * (C0 and DEL) and lone surrogates are always refused, except the line-breaking controls a rule
 * allows: PostgreSQL text cannot hold a NUL; every other C0 control comes back as a 6-byte
 * `\u00XX` escape, so a text of them would multiply a list page sixfold (issue 12, finding 1);
 * and a lone UTF-16 surrogate (JSON can spell one as "\ud800") has no UTF-8 form, so the driver
 * would store U+FFFD and the text would silently not be what the client sent.
 */
export interface TextRule {
  readonly kind: 'text';
  /** White space around the text is removed before it is checked and stored. */
  readonly trim?: boolean;
  readonly minLength?: number;
  readonly maxLength: number;
  /** null is accepted as a value (it clears the field). */
  readonly nullable?: boolean;
  /** Tab, line feed and carriage return are accepted (multi-line text); other controls never. */
  readonly allowLineBreaks?: boolean;
  /** For the OpenAPI document: the rule in words, for the people writing clients. */
  readonly description: string;
  readonly example?: string;
}

/** A JSON boolean; strings such as "true", and null, are refused. */
export interface BooleanRule {
  readonly kind: 'boolean';
  readonly description: string;
  readonly example?: boolean;
}

/**
 * The rule of one body field, written once: {@link checkFor} makes the validator from it and
 * {@link schemaFor} its OpenAPI schema.
 */
export type FieldRule = TextRule | BooleanRule;

export const textRule = (rule: Omit<TextRule, 'kind'>): TextRule => ({ kind: 'text', ...rule });
export const booleanRule = (rule: Omit<BooleanRule, 'kind'>): BooleanRule => ({
  kind: 'boolean',
  ...rule,
});

/** Tab, line feed, carriage return: the controls a multi-line text may hold. */
const LINE_BREAKS = [0x09, 0x0a, 0x0d];

/**
 * The refused control characters as a regular expression character class body, spelled with
 * `\uXXXX` escapes so the same text serves the check (a RegExp) and the OpenAPI `pattern` (an
 * ECMA-262 regular expression, which cannot say "no lone surrogate": that stays in words).
 */
export function refusedControls(allowLineBreaks: boolean): string {
  const hex = (code: number) => `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const refused = [...Array(0x20).keys(), 0x7f].filter(
    (code) => !(allowLineBreaks && LINE_BREAKS.includes(code)),
  );
  const ranges: string[] = [];
  for (let i = 0; i < refused.length;) {
    let j = i;
    while (j + 1 < refused.length && refused[j + 1] === refused[j] + 1) j++;
    ranges.push(j > i ? `${hex(refused[i])}-${hex(refused[j])}` : hex(refused[i]));
    i = j + 1;
  }
  return ranges.join('');
}

/** The OpenAPI pattern of a text with no refused control character. */
export function textPattern(rule: TextRule): string {
  return `^[^${refusedControls(rule.allowLineBreaks === true)}]*$`;
}

export function checkFor(name: string, rule: FieldRule): FieldCheck {
  return rule.kind === 'text' ? textCheck(name, rule) : booleanCheck(name);
}

export function schemaFor(rule: FieldRule): ApiPropertyOptions {
  if (rule.kind === 'boolean') {
    return { type: Boolean, description: rule.description, example: rule.example };
  }
  return {
    type: String,
    ...(rule.minLength ? { minLength: rule.minLength } : {}),
    maxLength: rule.maxLength,
    ...(rule.nullable ? { nullable: true } : {}),
    pattern: textPattern(rule),
    description: rule.description,
    example: rule.example,
  };
}

function textCheck(name: string, rule: TextRule): FieldCheck {
  const { trim = false, minLength = 0, maxLength, nullable = false } = rule;
  const control = new RegExp(`[${refusedControls(rule.allowLineBreaks === true)}]`);
  const badControl = rule.allowLineBreaks
    ? `${name} must not contain control characters other than tab, line feed and carriage return`
    : `${name} must not contain control characters`;
  const notText = `${name} must be a string${nullable ? ' or null' : ''}`;
  const badLength =
    minLength > 0
      ? `${name} must be ${minLength} to ${maxLength} characters${trim ? ' after trimming' : ''}`
      : `${name} must be at most ${maxLength} characters`;
  return (value) => {
    if (value === null && nullable) return { value };
    if (typeof value !== 'string') return { error: notText };
    const text = trim ? value.trim() : value;
    if (hasFewerCodePointsThan(text, minLength) || hasMoreCodePointsThan(text, maxLength)) {
      return { error: badLength };
    }
    if (control.test(text)) return { error: badControl };
    if (!text.isWellFormed()) {
      return { error: `${name} must be valid Unicode (no lone surrogates)` };
    }
    return { value: text };
  };
}

function booleanCheck(name: string): FieldCheck {
  const error = `${name} must be true or false`;
  return (value) => (typeof value === 'boolean' ? { value } : { error });
}
