import type { ApiPropertyOptions } from '@nestjs/swagger';
import { hasMoreCodePointsThan } from '../../common/code-points';
import type { FieldCheck, FieldOutcome } from '../../common/json-body.pipe';

export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;

/** The OpenAPI side of the checks below; the DTOs pass these to `@ApiProperty`. */
export const TITLE_API: ApiPropertyOptions = {
  type: String,
  minLength: 1,
  maxLength: TITLE_MAX,
  pattern: '^[^\\u0000]*$',
  description: `Trimmed before it is checked and stored; 1 to ${TITLE_MAX} characters (Unicode code points) after trimming; no NUL characters.`,
  example: 'Buy milk',
};

export const DESCRIPTION_API: ApiPropertyOptions = {
  type: String,
  nullable: true,
  maxLength: DESCRIPTION_MAX,
  pattern: '^[^\\u0000]*$',
  description: `null, or at most ${DESCRIPTION_MAX} characters; no NUL characters. Stored as sent.`,
  example: 'Two litres, semi-skimmed',
};

export const COMPLETED_API: ApiPropertyOptions = {
  type: Boolean,
  description: 'A JSON boolean; strings such as "true" are refused.',
  example: false,
};

/**
 * NUL cannot be stored in PostgreSQL text, and a lone UTF-16 surrogate (JSON can spell one as
 * "\ud800") has no UTF-8 form, so the driver would store U+FFFD: the text would silently not be
 * what the client sent. Both are refused, as 400s rather than driver errors.
 */
function storable(field: string, text: string): FieldOutcome {
  if (text.includes('\u0000')) return { error: `${field} must not contain NUL characters` };
  if (!text.isWellFormed()) {
    return { error: `${field} must be valid Unicode (no lone surrogates)` };
  }
  return { value: text };
}

/** Trimmed, 1..255 characters (code points) after trimming, no NUL, no lone surrogate. */
export const checkTitle: FieldCheck = (value) => {
  if (typeof value !== 'string') return { error: 'title must be a string' };
  const title = value.trim();
  if (title === '' || hasMoreCodePointsThan(title, TITLE_MAX)) {
    return { error: `title must be 1 to ${TITLE_MAX} characters after trimming` };
  }
  return storable('title', title);
};

/** null, or at most 10,000 characters, no NUL, no lone surrogate; stored as sent. */
export const checkDescription: FieldCheck = (value) => {
  if (value === null) return { value };
  if (typeof value !== 'string') return { error: 'description must be a string or null' };
  if (hasMoreCodePointsThan(value, DESCRIPTION_MAX)) {
    return { error: `description must be at most ${DESCRIPTION_MAX} characters` };
  }
  return storable('description', value);
};

/** A JSON boolean. null is refused too: it is not a boolean, and it would reach a NOT NULL column. */
export const checkCompleted: FieldCheck = (value) =>
  typeof value === 'boolean' ? { value } : { error: 'completed must be true or false' };

/** The fields a create or update body may carry, each with its check. */
export const TASK_FIELDS = {
  title: checkTitle,
  description: checkDescription,
  completed: checkCompleted,
} as const;
