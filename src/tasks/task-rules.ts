import { booleanRule, textRule } from '../common/field-rules';

/**
 * The rules of a task, each stated once. The request bodies (dto/) validate with them and the
 * OpenAPI document is made from them; the entity's column lengths and the repository's page
 * bound use the same numbers.
 */

export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;

export const TITLE = textRule({
  trim: true,
  minLength: 1,
  maxLength: TITLE_MAX,
  description: `Trimmed before it is checked and stored; 1 to ${TITLE_MAX} characters (Unicode code points) after trimming; no control characters (U+0000–U+001F, U+007F) and no lone surrogates.`,
  example: 'Buy milk',
});

export const DESCRIPTION = textRule({
  maxLength: DESCRIPTION_MAX,
  nullable: true,
  allowLineBreaks: true,
  description: `null, or at most ${DESCRIPTION_MAX} characters; no control characters (U+0000–U+001F, U+007F) other than tab, line feed and carriage return, and no lone surrogates. Stored as sent.`,
  example: 'Two litres, semi-skimmed',
});

/** null is refused too: it is not a boolean, and it would reach a NOT NULL column. */
export const COMPLETED = booleanRule({
  description: 'A JSON boolean; strings such as "true" are refused.',
  example: false,
});

/** Page size of a list: the default, and the largest the contract allows. */
export const LIST_LIMIT_DEFAULT = 100;
export const LIST_LIMIT_MAX = 500;

/**
 * The byte budget of one list page's JSON body (LIST_PAGE_BYTES_MAX). 1 MiB holds a full page
 * of 500 tasks of up to ~2 KB each; the worst page (docs/security.md, "Page budget") is cut at
 * about 17 tasks instead of 30 MB. The least budget still holds the largest single task
 * (a 10,000-character description of 6-byte escapes is 60 KB), so every page makes progress.
 */
export const LIST_PAGE_BYTES_DEFAULT = 1024 * 1024;
export const LIST_PAGE_BYTES_MIN = 64 * 1024;
