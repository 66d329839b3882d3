import { BooleanField, BooleanParam, TextField, type TextRule } from '../core/validation/fields';
import { InputShape } from '../core/validation/shape';
import { PageQuery } from '../core/paging/page-query';
import { DESCRIPTION_MAX, TITLE_MAX } from './task.entity';

const TITLE: TextRule = {
  trim: true,
  minLength: 1,
  maxLength: TITLE_MAX,
  description: `Trimmed before it is checked and stored; 1 to ${TITLE_MAX} characters (Unicode code points) after trimming; no control characters (U+0000–U+001F, U+007F) and no lone surrogates.`,
  example: 'Buy milk',
};

const DESCRIPTION: TextRule = {
  maxLength: DESCRIPTION_MAX,
  nullable: true,
  multiline: true,
  description: `null, or at most ${DESCRIPTION_MAX} characters; no control characters (U+0000–U+001F, U+007F) other than tab, line feed and carriage return, and no lone surrogates. Stored as sent.`,
  example: 'Two litres, semi-skimmed',
};

/** null is refused too: it is not a boolean, and it would reach a NOT NULL column. */
const COMPLETED = {
  description: 'A JSON boolean; strings such as "true" are refused.',
  example: false,
};

@InputShape({
  name: 'CreateTask',
  description: 'Body of POST /api/{user_id}/tasks. Any other field is refused (400).',
})
export class CreateTaskDto {
  @TextField(TITLE, { required: true })
  title: string;

  @TextField(DESCRIPTION, { default: null })
  description?: string | null;

  @BooleanField(COMPLETED, { default: false })
  completed?: boolean;
}

/** A partial update: a field that is sent is checked as on create; `description: null` clears it. */
@InputShape({
  name: 'UpdateTask',
  description:
    'Body of PUT and PATCH /api/{user_id}/tasks/{task_id}: a partial update, at least one field. Any other field is refused (400).',
  atLeastOne: true,
})
export class UpdateTaskDto {
  @TextField(TITLE)
  title?: string;

  @TextField(DESCRIPTION)
  description?: string | null;

  @BooleanField(COMPLETED)
  completed?: boolean;
}

@InputShape({
  name: 'CompleteTask',
  description:
    'Optional body of PATCH /api/{user_id}/tasks/{task_id}/complete. Without a body (or with {}) the task is toggled; with `completed` it is set to that value, so a retry does not flip it back.',
  optional: true,
})
export class CompleteTaskDto {
  @BooleanField(COMPLETED)
  completed?: boolean;
}

/** GET /api/{user_id}/tasks: a page, and only done or open tasks when `completed` is given. */
export class ListTasksQuery extends PageQuery {
  @BooleanParam({ description: 'Only completed (true) or open (false) tasks.' })
  completed?: boolean;
}
