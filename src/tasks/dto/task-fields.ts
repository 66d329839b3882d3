import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { IsBoolean, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';

export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;
/** PostgreSQL text cannot hold U+0000; refusing it here makes it a 400, not a driver error. */
const NO_NUL = /^[^\u0000]*$/;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Trimmed, 1..255 characters (code points, as PostgreSQL counts them), no NUL. */
export function TitleField() {
  return applyDecorators(
    Transform(trim),
    IsString({ message: 'title must be a string' }),
    Length(1, TITLE_MAX, { message: `title must be 1 to ${TITLE_MAX} characters after trimming` }),
    Matches(NO_NUL, { message: 'title must not contain NUL characters' }),
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
  );
}

export function CompletedField() {
  return applyDecorators(IsBoolean({ message: 'completed must be true or false' }));
}
