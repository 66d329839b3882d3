/** Upper bound of an item's JSON: 6 bytes per UTF-16 unit of text (`\u0001`), 32 per other field. */
function mostBytes(item: object): number {
  let bytes = 2;
  for (const key in item) {
    const value = (item as Record<string, unknown>)[key];
    bytes += key.length + 4 + (typeof value === 'string' ? 6 * value.length : 32);
  }
  return bytes;
}

/**
 * The JSON array of `items`, stopping before the one that would take it past `maxBytes` of UTF-8,
 * never before the first (a page always makes progress). A page that cannot pass the budget even
 * at the worst escaping is one JSON.stringify; otherwise the cut is made item by item on the text.
 * `count` says how many items `json` holds.
 */
export function pageJson(items: readonly object[], maxBytes: number) {
  let most = 2;
  for (const item of items) most += mostBytes(item) + 1;
  if (most <= maxBytes) return { json: JSON.stringify(items), count: items.length };
  let json = '[';
  let bytes = 2;
  let count = 0;
  for (const item of items) {
    const part = JSON.stringify(item);
    const size = Buffer.byteLength(part) + (count > 0 ? 1 : 0);
    if (count > 0 && bytes + size > maxBytes) break;
    json += count > 0 ? `,${part}` : part;
    bytes += size;
    count++;
  }
  return { json: `${json}]`, count };
}
