import type { ApiPropertyOptions } from '@nestjs/swagger';
import { hasFewerCodePointsThan, hasMoreCodePointsThan } from './code-points';

/** What one field's check found: the value to use (trimmed, say), or what is wrong with it. */
export type FieldOutcome = { value: unknown } | { error: string };
export type FieldCheck = (value: unknown) => FieldOutcome;

/**
 * A JSON string. Lengths are Unicode code points, as PostgreSQL counts them. NUL and lone
 * surrogates are always refused: PostgreSQL text cannot hold a NUL, and a lone UTF-16 surrogate
 * (JSON can spell one as "\ud800") has no UTF-8 form, so the driver would store U+FFFD and the
 * text would silently not be what the client sent.
 */
export interface TextRule {
  readonly kind: 'text';
  /** White space around the text is removed before it is checked and stored. */
  readonly trim?: boolean;
  readonly minLength?: number;
  readonly maxLength: number;
  /** null is accepted as a value (it clears the field). */
  readonly nullable?: boolean;
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

/** The JSON Schema spelling of "no NUL character" (lone surrogates cannot be expressed). */
const NO_NUL = '^[^\\u0000]*$';

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
    pattern: NO_NUL,
    description: rule.description,
    example: rule.example,
  };
}

function textCheck(name: string, rule: TextRule): FieldCheck {
  const { trim = false, minLength = 0, maxLength, nullable = false } = rule;
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
    if (text.includes('\u0000')) return { error: `${name} must not contain NUL characters` };
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
