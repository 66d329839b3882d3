/**
 * Whether `text` has more than `max` characters as PostgreSQL counts them (Unicode code points,
 * so an emoji is one). Counting walks the string, so it is done only when the UTF-16 length,
 * which is never below the code-point count, says the text could be too long.
 */
export function hasMoreCodePointsThan(text: string, max: number): boolean {
  return text.length > max && [...text].length > max;
}

/** Whether `text` has fewer than `min` code points; walks the string only when it must. */
export function hasFewerCodePointsThan(text: string, min: number): boolean {
  return text.length < min || (text.length < 2 * min && [...text].length < min);
}
