import { IsBoolean, IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { hasFewerCodePointsThan, hasMoreCodePointsThan } from './identifiers';
import { Check, Field, type FieldOptions } from './shape';

/**
 * A JSON string, lengths in code points. Controls are refused (no NUL in text; others are 6-byte
 * escapes in a page's JSON), and so are lone surrogates, which have no UTF-8 form.
 */
export interface TextRule {
  trim?: boolean;
  minLength?: number;
  maxLength: number;
  nullable?: boolean;
  /** Tab, line feed and carriage return are accepted; other controls never. */
  multiline?: boolean;
  description: string;
  example?: string;
}

/** The refused controls (C0, DEL) in `\uXXXX` escapes: one text for the check and the `pattern`. */
export const refusedControls = (multiline: boolean) =>
  multiline ? '\\u0000-\\u0008\\u000B-\\u000C\\u000E-\\u001F\\u007F' : '\\u0000-\\u001F\\u007F';

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

export function TextField(rule: TextRule, options: FieldOptions = {}): PropertyDecorator {
  const { trim = false, minLength = 0, maxLength, nullable = false, multiline = false } = rule;
  const controls = refusedControls(multiline);
  const control = new RegExp(`[${controls}]`);
  const short = minLength > 1 ? `at least ${minLength} characters` : 'must not be blank';
  const other = multiline ? ' other than tab, line feed and carriage return' : '';
  const filled = (v: string) => !hasFewerCodePointsThan(v, minLength);
  const fits = (v: string) => !hasMoreCodePointsThan(v, maxLength);
  const clean = (v: string) => !control.test(v);
  const wellFormed = (v: string) => v.isWellFormed();
  const checks = [
    IsString({ message: nullable ? 'must be a string or null' : 'must be a string' }),
    ...(minLength > 0 ? [Check('minCodePoints', short, filled)] : []),
    Check('maxCodePoints', `at most ${maxLength} characters`, fits),
    Check('noControls', `must not contain control characters${other}`, clean),
    Check('wellFormed', 'must be valid Unicode (no lone surrogates)', wellFormed),
  ];
  return Field({
    ...options,
    nullable,
    read: trim ? trimmed : undefined,
    checks,
    doc: {
      type: String,
      ...(minLength > 0 && { minLength }),
      maxLength,
      ...(nullable && { nullable: true }),
      pattern: `^[^${controls}]*$`,
      description: rule.description,
      example: rule.example,
    },
  });
}

/** A JSON boolean; strings such as "true", and null, are refused. */
export function BooleanField(
  rule: { description: string; example?: boolean },
  options: FieldOptions = {},
) {
  return Field({
    ...options,
    checks: [IsBoolean({ message: 'must be true or false' })],
    doc: { type: Boolean, ...rule },
  });
}

interface ParamRule<T> {
  default?: T;
  description: string;
}

/** A query parameter of decimal digits only (no sign, exponent or space) within [min, max]. */
export function IntegerParam(rule: ParamRule<number> & { min: number; max: number }) {
  const { min, max } = rule;
  const message = `must be an integer from ${min} to ${max}`;
  return Field({
    default: rule.default,
    read: (raw) => (typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw),
    checks: [IsInt({ message }), Min(min, { message }), Max(max, { message })],
    doc: { type: 'integer', minimum: min, maximum: max, description: rule.description },
  });
}

/** A query parameter that is one of `values`, spelled exactly. */
export function EnumParam<T extends string>({ values, ...rule }: ParamRule<T> & { values: T[] }) {
  return Field({
    default: rule.default,
    checks: [IsIn(values, { message: `must be ${values.join(' or ')}` })],
    doc: { type: String, enum: values, description: rule.description },
  });
}

/** A query parameter `true` or `false`, given to the handler as a boolean. */
export function BooleanParam(rule: ParamRule<boolean>) {
  return Field({
    default: rule.default,
    read: (raw) => (raw === 'true' ? true : raw === 'false' ? false : raw),
    checks: [IsBoolean({ message: 'must be true or false' })],
    doc: { type: Boolean, description: rule.description },
  });
}
