/**
 * Whether `text` has more than `max` characters as PostgreSQL counts them (Unicode code points,
 * so an emoji is one). Counting walks the string, so it is done only when the UTF-16 length,
 * which is never below the code-point count, says the text could be too long.
 */
export function hasMoreCodePointsThan(text: string, max: number): boolean {
  return text.length > max && [...text].length > max;
}
