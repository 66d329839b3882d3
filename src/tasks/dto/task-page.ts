import type { Task } from '../task.entity';
import { toTaskResponse } from './task.response';

/**
 * The JSON of any task is at least this many bytes besides its user id, title and description:
 * its keys, a UUID, two timestamps, `false` or `true`, `null` or two quotes. The repository adds
 * the texts' UTF-8 sizes to it for a lower bound of a row's JSON, computed in SQL.
 */
export const TASK_JSON_MIN_BYTES = 180;

/**
 * The JSON of any task is at most this many bytes besides its texts, and each UTF-16 unit of a
 * text at most 6 (`\u0001`; a surrogate pair is 4 bytes for 2 units).
 */
const TASK_JSON_MAX_FIXED_BYTES = 200;
const MAX_BYTES_PER_UNIT = 6;

export interface PageJson {
  /** The JSON array, as sent. */
  json: string;
  /** How many of the tasks it holds: a prefix of the ones given. */
  count: number;
}

/**
 * The JSON body of a list page: the tasks in order, stopping before the one that would take the
 * body past `maxBytes` (UTF-8), but never before the first, so a page always makes progress.
 * Escaping can make a task's JSON up to six times its stored bytes (`"` → `\"`, a control
 * character stored before the API refused them → `\u0001`), which is why the cut is made on the
 * serialized text, task by task, when the page could pass the budget at all. Each task is
 * serialized once, here, and the text is sent as it is. A page stays within the budget, so
 * building it never holds the event loop for more than a few milliseconds (2–4 ms for a full
 * 1 MiB page of the worst text, measured on a loaded 2-core VM; the database deadline is 6 s).
 */
export function taskPageJson(tasks: readonly Task[], maxBytes: number): PageJson {
  // The usual page is far below the budget even at six bytes per character: then it is one
  // JSON.stringify, as before the budget, after a look at each text's length (no scan).
  let most = 2;
  for (const task of tasks) {
    const units = task.userId.length + task.title.length + (task.description?.length ?? 0);
    most += TASK_JSON_MAX_FIXED_BYTES + 1 + MAX_BYTES_PER_UNIT * units;
  }
  if (most <= maxBytes)
    return { json: JSON.stringify(tasks.map(toTaskResponse)), count: tasks.length };
  let json = '[';
  let bytes = 2;
  let count = 0;
  for (const task of tasks) {
    const part = JSON.stringify(toTaskResponse(task));
    const size = Buffer.byteLength(part) + (count > 0 ? 1 : 0);
    if (count > 0 && bytes + size > maxBytes) break;
    json += count > 0 ? `,${part}` : part;
    bytes += size;
    count++;
  }
  return { json: `${json}]`, count };
}
