import {
  applyDecorators,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import type { AuthenticatedUser } from '../auth/token-verifier';
import { ValidBody } from '../common/json-body.decorators';
import { USER_ID_MAX_LENGTH } from '../common/user-id';
import { UuidPipe } from '../common/uuid.pipe';
import {
  API_ROUTE_ERRORS,
  ApiErrorResponses,
  BODY_ERRORS,
  mergeErrors,
  REQUEST_ID_RESPONSE_HEADER,
} from '../openapi/api-responses';
import { BEARER_AUTH } from '../openapi/openapi.constants';
import { CompleteTaskDto } from './dto/complete-task.dto';
import { CreateTaskDto } from './dto/create-task.dto';
import { parseListQuery } from './dto/list-tasks.query';
import type { ListTasksQuery } from './dto/list-tasks.query';
import { TaskResponse, TaskResponseDto, toTaskResponse } from './dto/task.response';
import { taskPageJson } from './dto/task-page';
import { Environment } from '../config/environment';
import { UpdateTaskDto } from './dto/update-task.dto';
import { CURSOR_PATTERN, encodeCursor } from './task-cursor';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from './task-rules';
import { TasksService } from './tasks.service';

/** A route on one task that may carry a JSON body. */
const TASK_BODY_ERRORS = mergeErrors(BODY_ERRORS, {
  400: ['INVALID_UUID'],
  404: ['NOT_FOUND'],
});

/** The task id path parameter; UuidPipe refuses anything else with 400 INVALID_UUID. */
const TaskIdParam = ApiParam({ name: 'task_id', schema: { type: 'string', format: 'uuid' } });

/**
 * The tasks of one user. Every handler takes the authenticated user (`@CurrentUser()`) and passes
 * its id to the service as the owner; the `{user_id}` of the path is there for the URL, and the
 * authentication hook refuses (403) a path that names anyone else.
 */
@ApiTags('tasks')
@ApiBearerAuth(BEARER_AUTH)
@ApiParam({
  name: 'user_id',
  description: 'The owner of the tasks; must equal the token subject (`sub`).',
  schema: { type: 'string', minLength: 1, maxLength: USER_ID_MAX_LENGTH },
})
@ApiErrorResponses(API_ROUTE_ERRORS)
@Controller('api/:user_id/tasks')
export class TasksController {
  private readonly pageBytes: number;

  constructor(
    private readonly tasks: TasksService,
    env: Environment,
  ) {
    this.pageBytes = env.LIST_PAGE_BYTES_MAX;
  }

  @Get()
  // Decorators apply bottom-up: the query parameters are listed in reverse so the document
  // shows them as limit, completed, order, cursor.
  @ApiOperation({
    operationId: 'listTasks',
    summary: "List the user's tasks, newest first (one page)",
    description:
      'Keyset pagination: when more rows follow, the response has a `Link` (rel="next") and an `X-Next-Cursor` header; pass the cursor back unchanged with the same filters. A page holds fewer than `limit` tasks when its JSON would pass the service\'s page byte budget (LIST_PAGE_BYTES_MAX, 1 MiB by default); its next link then continues right after its last task.',
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    description: 'Opaque; from X-Next-Cursor or the next link of the previous page.',
    schema: { type: 'string', pattern: CURSOR_PATTERN.source },
  })
  @ApiQuery({
    name: 'order',
    required: false,
    description: 'On created_at, ties broken by id.',
    schema: { type: 'string', enum: ['desc', 'asc'], default: 'desc' },
  })
  @ApiQuery({
    name: 'completed',
    required: false,
    description: 'Only completed (true) or open (false) tasks.',
    schema: { type: 'boolean' },
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: 'Page size.',
    schema: { type: 'integer', minimum: 1, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_DEFAULT },
  })
  @ApiOkResponse({
    description: 'One page of tasks (a plain array).',
    type: TaskResponseDto,
    isArray: true,
    headers: {
      ...REQUEST_ID_RESPONSE_HEADER,
      Link: {
        description:
          'RFC 8288 link to the next page, when there is one: `<…?cursor=…&limit=…>; rel="next"`.',
        schema: { type: 'string' },
      },
      'X-Next-Cursor': {
        description: 'The cursor of the next page, when there is one.',
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrorResponses({ 400: ['VALIDATION_ERROR'] })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListTasksQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const options = parseListQuery(query);
    const page = await this.tasks.list(user.id, { ...options, maxBytes: this.pageBytes });
    // The exact budget, on the JSON itself; the repository cut on a lower bound of it.
    const { json, count } = taskPageJson(page.tasks, this.pageBytes);
    const last = count < page.tasks.length ? page.tasks[count - 1] : undefined;
    const after = last ? { createdAt: last.createdAt, id: last.id } : page.next;
    if (after) {
      const cursor = encodeCursor(after);
      const next = new URLSearchParams({ cursor, limit: String(options.limit) });
      if (options.completed !== undefined) next.set('completed', String(options.completed));
      if (options.order !== 'desc') next.set('order', String(options.order));
      reply.header('Link', `<${tasksPath(user.id)}?${next.toString()}>; rel="next"`);
      reply.header('X-Next-Cursor', cursor);
    }
    // Already JSON: Fastify sends a string with a JSON content type as it is.
    reply.type('application/json; charset=utf-8');
    return json;
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createTask', summary: 'Create a task' })
  @ApiCreatedResponse({
    description: 'The new task.',
    type: TaskResponseDto,
    headers: {
      ...REQUEST_ID_RESPONSE_HEADER,
      Location: {
        description: 'Path of the new task: /api/{user_id}/tasks/{id}.',
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrorResponses(BODY_ERRORS)
  @ApiErrorResponses({ 409: ['QUOTA_EXCEEDED'] })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @ValidBody(CreateTaskDto) body: CreateTaskDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.tasks.create(user.id, body);
    reply.header('Location', `${tasksPath(user.id)}/${task.id}`);
    return toTaskResponse(task);
  }

  @Get(':task_id')
  @ApiOperation({ operationId: 'getTask', summary: 'Get one task' })
  @TaskIdParam
  @ApiOkResponse({
    description: 'The task.',
    type: TaskResponseDto,
    headers: REQUEST_ID_RESPONSE_HEADER,
  })
  @ApiErrorResponses({ 400: ['INVALID_UUID', 'VALIDATION_ERROR'], 404: ['NOT_FOUND'] })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('task_id', UuidPipe) taskId: string,
  ): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.get(user.id, taskId));
  }

  /** The contract's PUT is the same partial update as PATCH (its operationId stays replaceTask). */
  @Put(':task_id')
  @UpdateTaskDocs(
    'replaceTask',
    'Update a task (partial: any of title, description, completed; at least one)',
  )
  updateViaPut(
    @CurrentUser() user: AuthenticatedUser,
    @Param('task_id', UuidPipe) taskId: string,
    @ValidBody(UpdateTaskDto) body: UpdateTaskDto,
  ): Promise<TaskResponse> {
    return this.update(user, taskId, body);
  }

  @Patch(':task_id')
  @UpdateTaskDocs('updateTask', 'Update a task (same as PUT)')
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('task_id', UuidPipe) taskId: string,
    @ValidBody(UpdateTaskDto) body: UpdateTaskDto,
  ): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.update(user.id, taskId, body));
  }

  @Patch(':task_id/complete')
  @ApiOperation({
    operationId: 'completeTask',
    summary: 'Toggle completed, or set it when the body says {"completed": true|false}',
  })
  @TaskIdParam
  @ApiOkResponse({
    description: 'The task.',
    type: TaskResponseDto,
    headers: REQUEST_ID_RESPONSE_HEADER,
  })
  @ApiErrorResponses(TASK_BODY_ERRORS)
  async complete(
    @CurrentUser() user: AuthenticatedUser,
    @Param('task_id', UuidPipe) taskId: string,
    @ValidBody(CompleteTaskDto) body?: CompleteTaskDto,
  ): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.setCompleted(user.id, taskId, body?.completed));
  }

  @Delete(':task_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'deleteTask', summary: 'Delete a task' })
  @TaskIdParam
  @ApiNoContentResponse({
    description: 'Deleted; empty body.',
    headers: REQUEST_ID_RESPONSE_HEADER,
  })
  @ApiErrorResponses(TASK_BODY_ERRORS)
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @Param('task_id', UuidPipe) taskId: string,
  ): Promise<void> {
    await this.tasks.delete(user.id, taskId);
  }
}

function tasksPath(userId: string): string {
  return `/api/${encodeURIComponent(userId)}/tasks`;
}

/** The OpenAPI description shared by PUT and PATCH, which behave the same. */
function UpdateTaskDocs(operationId: string, summary: string) {
  return applyDecorators(
    ApiOperation({ operationId, summary }),
    TaskIdParam,
    ApiOkResponse({
      description: 'The updated task.',
      type: TaskResponseDto,
      headers: REQUEST_ID_RESPONSE_HEADER,
    }),
    ApiErrorResponses(TASK_BODY_ERRORS),
  );
}
