import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthenticatedUser, CurrentUser } from '../core/auth/decorators';
import { ERRORS } from '../core/errors/api-error';
import { Conditional, ETAG_HEADER, IfMatch, IfNoneMatch } from '../core/http/conditional';
import { IDEMPOTENT_ERRORS, Idempotency, Idempotent } from '../core/idempotency/idempotency';
import {
  ApiErrors,
  AUTHENTICATED_ROUTE_ERRORS,
  BODY_ERRORS,
  COMMON_RESPONSE_HEADERS,
} from '../core/openapi/error-responses';
import { ApiTag } from '../core/openapi/schema.decorator';
import { PAGE_LIMIT_MAX } from '../core/paging/keyset';
import { PagingConfig } from '../core/paging/paging.module';
import { sendPage } from '../core/paging/page-response';
import { ChangesQuery, changesSchema, SYNC_TOKEN_EXPIRED } from '../core/sync/change-feed';
import { USER_ID_MAX_LENGTH } from '../core/validation/identifiers';
import { UuidParam } from '../core/validation/uuid.pipe';
import { CompleteTaskDto, CreateTaskDto, ListTasksQuery, UpdateTaskDto } from './task.dto';
import { Task } from './task.entity';
import { TASK_ERRORS } from './task.errors';
import { TasksService } from './tasks.service';

const TASK_CHANGES = changesSchema(Task, 'TaskChanges');
const ONE_TASK_ERRORS = [...BODY_ERRORS, ERRORS.invalidUuid, TASK_ERRORS.notFound];
const header = (description: string) => ({ description, schema: { type: 'string' } });

function TaskResponse(description: string, ...errors: Parameters<typeof ApiErrors>) {
  return applyDecorators(
    ApiOkResponse({
      description,
      type: Task,
      headers: { ...COMMON_RESPONSE_HEADERS, ...ETAG_HEADER },
    }),
    ApiErrors(...errors),
  );
}

/** Handlers pass the user down as the owner; the auth hook refused (403) any other `{user_id}`. */
@ApiTag('tasks', "A user's tasks; bearer token required, `sub` must equal `{user_id}`.")
@ApiBearerAuth()
@ApiParam({
  name: 'user_id',
  description: 'The owner of the tasks; must equal the token subject (`sub`).',
  schema: { type: 'string', minLength: 1, maxLength: USER_ID_MAX_LENGTH },
})
@ApiErrors(...AUTHENTICATED_ROUTE_ERRORS)
@Conditional('updated_at')
@Controller('api/:user_id/tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly paging: PagingConfig,
    private readonly idempotency: Idempotency,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listTasks',
    summary: "List the user's tasks, newest first (one page)",
    description:
      'Keyset pagination: when more rows follow, the response has a `Link` (rel="next") and an `X-Next-Cursor` header; pass the cursor back unchanged with the same filters. A page holds fewer than `limit` tasks when its JSON would pass the service\'s page byte budget (LIST_PAGE_BYTES_MAX, 1 MiB by default); its next link then continues right after its last task.',
  })
  @ApiOkResponse({
    description: 'One page of tasks (a plain array).',
    schema: { type: 'array', items: { $ref: getSchemaPath(Task) }, maxItems: PAGE_LIMIT_MAX },
    headers: {
      ...COMMON_RESPONSE_HEADERS,
      ETag: header('Weak: the same while the page is the same.'),
      Link: header(
        'RFC 8288 link to the next page, when there is one: `<…?cursor=…&limit=…>; rel="next"`.',
      ),
      'X-Next-Cursor': header('The cursor of the next page, when there is one.'),
    },
  })
  @ApiErrors(ERRORS.validation)
  @IfNoneMatch()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListTasksQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const maxBytes = this.paging.LIST_PAGE_BYTES_MAX;
    const rows = await this.tasks.list(user, query.page(maxBytes), query.completed);
    return sendPage(request, reply, rows, {
      limit: query.limit,
      maxBytes,
      orderField: 'created_at',
      versionField: 'updated_at',
    });
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'createTask', summary: 'Create a task' })
  @ApiCreatedResponse({
    description: 'The new task.',
    type: Task,
    headers: {
      ...COMMON_RESPONSE_HEADERS,
      ...ETAG_HEADER,
      Location: header('Path of the new task: /api/{user_id}/tasks/{id}.'),
    },
  })
  @ApiErrors(...BODY_ERRORS, TASK_ERRORS.quotaExceeded, ...IDEMPOTENT_ERRORS)
  @Idempotent()
  create(
    @Body() body: CreateTaskDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    return this.idempotency.once(request, reply, async (owner) => {
      const task = await this.tasks.create(owner, body);
      reply.header('Location', `/api/${encodeURIComponent(owner.id)}/tasks/${task.id}`);
      return task;
    });
  }

  @Get('changes')
  @ApiOperation({
    operationId: 'listTaskChanges',
    summary: 'What changed since a sync token: changed tasks (current state) and deletions',
    description:
      'Without `since`: every current task, in answers of at most `limit`, then a token. With `since` (the `next` of the previous answer): each task created or changed since, in its current state, and each deleted. While `has_more`, ask again with `next` at once. A change may come twice, never zero times. A token older than SYNC_TOMBSTONE_RETENTION_DAYS is 410: sync again without `since`. An answer holds fewer than `limit` items when its JSON would pass LIST_PAGE_BYTES_MAX.',
  })
  @ApiOkResponse({
    description: 'Changes and deletions since the token, and the token to pass next.',
    type: TASK_CHANGES,
    headers: COMMON_RESPONSE_HEADERS,
  })
  @ApiErrors(ERRORS.validation, SYNC_TOKEN_EXPIRED)
  changes(@CurrentUser() user: AuthenticatedUser, @Query() query: ChangesQuery) {
    return this.tasks.changes(user, query, this.paging.LIST_PAGE_BYTES_MAX);
  }

  @Get(':task_id')
  @ApiOperation({ operationId: 'getTask', summary: 'Get one task' })
  @TaskResponse('The task.', ERRORS.invalidUuid, ERRORS.validation, TASK_ERRORS.notFound)
  @IfNoneMatch()
  get(@CurrentUser() user: AuthenticatedUser, @UuidParam('task_id') id: string): Promise<Task> {
    return this.tasks.get(user, id);
  }

  /** The contract's PUT is the same partial update as PATCH (its operationId stays replaceTask). */
  @Put(':task_id')
  @ApiOperation({
    operationId: 'replaceTask',
    summary: 'Update a task (partial: any of title, description, completed; at least one)',
  })
  @TaskResponse('The updated task.', ...ONE_TASK_ERRORS)
  @IfMatch()
  updateViaPut(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('task_id') id: string,
    @Body() body: UpdateTaskDto,
  ): Promise<Task> {
    return this.tasks.update(user, id, body);
  }

  @Patch(':task_id')
  @ApiOperation({ operationId: 'updateTask', summary: 'Update a task (same as PUT)' })
  @TaskResponse('The updated task.', ...ONE_TASK_ERRORS)
  @IfMatch()
  update(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('task_id') id: string,
    @Body() body: UpdateTaskDto,
  ): Promise<Task> {
    return this.tasks.update(user, id, body);
  }

  @Patch(':task_id/complete')
  @ApiOperation({
    operationId: 'completeTask',
    summary: 'Toggle completed, or set it when the body says {"completed": true|false}',
  })
  @TaskResponse('The task.', ...ONE_TASK_ERRORS, ...IDEMPOTENT_ERRORS)
  @IfMatch()
  @Idempotent()
  complete(
    @UuidParam('task_id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body?: CompleteTaskDto,
  ): Promise<Task> {
    return this.idempotency.once(request, reply, (owner) =>
      this.tasks.complete(owner, id, body?.completed),
    );
  }

  @Delete(':task_id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteTask', summary: 'Delete a task' })
  @ApiNoContentResponse({ description: 'Deleted; empty body.', headers: COMMON_RESPONSE_HEADERS })
  @ApiErrors(...ONE_TASK_ERRORS)
  @IfMatch()
  remove(@CurrentUser() user: AuthenticatedUser, @UuidParam('task_id') id: string): Promise<void> {
    return this.tasks.delete(user, id);
  }
}
