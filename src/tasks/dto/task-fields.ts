import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import type { ApiPropertyOptions } from '@nestjs/swagger';
import { IsBoolean, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';

export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;
/** PostgreSQL text cannot hold U+0000; refusing it here makes it a 400, not a driver error. */
const NO_NUL = /^[^\u0000]*$/;
/**
 * No lone UTF-16 surrogate (JSON can spell one as "\ud800"): it has no UTF-8 form, so the driver
 * would store U+FFFD instead, and the text would silently not be what the client sent.
 */
const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

/** The OpenAPI side of the rules below; the DTOs pass these to `@ApiProperty`. */
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

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Trimmed, 1..255 characters (code points, as PostgreSQL counts them), no NUL. */
export function TitleField() {
  return applyDecorators(
    Transform(trim),
    IsString({ message: 'title must be a string' }),
    Length(1, TITLE_MAX, { message: `title must be 1 to ${TITLE_MAX} characters after trimming` }),
    Matches(NO_NUL, { message: 'title must not contain NUL characters' }),
    Matches(WELL_FORMED, { message: 'title must be valid Unicode (no lone surrogates)' }),
  );
}

/** null, or a string of at most 10,000 characters without NUL. */
export function DescriptionField() {
  return applyDecorators(
    ValidateIf((_, value) => value !== null),
    IsString({ message: 'description must be a string or null' }),
    MaxLength(DESCRIPTION_MAX, {
      message: `description must be at most ${DESCRIPTION_MAX} characters`,
    }),
    Matches(NO_NUL, { message: 'description must not contain NUL characters' }),
    Matches(WELL_FORMED, { message: 'description must be valid Unicode (no lone surrogates)' }),
  );
}

/**
 * A JSON boolean when present. Absent is fine; null is not (it is not a boolean, and on update it
 * would reach a NOT NULL column), which is why this is not `@IsOptional()`.
 */
export function CompletedField() {
  return applyDecorators(
    ValidateIf((_, value) => value !== undefined),
    IsBoolean({ message: 'completed must be true or false' }),
  );
}
