import {
  applyDecorators,
  Body,
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
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { validationError } from '../common/api-error';
import { UuidPipe } from '../common/uuid.pipe';
import {
  API_ROUTE_ERRORS,
  ApiErrorResponses,
  BODY_ERRORS,
  mergeErrors,
  REQUEST_ID_HEADER,
} from '../openapi/api-responses';
import { BEARER_AUTH } from '../openapi/openapi.constants';
import { CompleteTaskBody, CompleteTaskDto } from './dto/complete-task.dto';
import { CreateTaskBody, CreateTaskDto } from './dto/create-task.dto';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, parseListQuery } from './dto/list-tasks.query';
import type { ListTasksQuery } from './dto/list-tasks.query';
import { TaskResponse, TaskResponseDto, toTaskResponse } from './dto/task.response';
import { UpdateTaskBody, UpdateTaskDto } from './dto/update-task.dto';
import { encodeCursor } from './task-cursor';
import { TasksService } from './tasks.service';

/** A route on one task that may carry a JSON body. */
const TASK_BODY_ERRORS = mergeErrors(BODY_ERRORS, {
  400: ['INVALID_UUID'],
  404: ['NOT_FOUND'],
});

/**
 * The tasks of one user. `:user_id` is the owner; authentication has already checked that it is
 * the caller's own id, so every call below passes it to the service as the owner.
 */
@ApiTags('tasks')
@ApiBearerAuth(BEARER_AUTH)
@ApiParam({
  name: 'user_id',
  description: 'The owner of the tasks; must equal the token subject (`sub`).',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
})
@ApiErrorResponses(API_ROUTE_ERRORS)
@Controller('api/:user_id/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  // Decorators apply bottom-up: the query parameters are listed in reverse so the document
  // shows them as limit, completed, order, cursor.
  @ApiOperation({
    operationId: 'listTasks',
    summary: "List the user's tasks, newest first (one page)",
    description:
      'Keyset pagination: when more rows follow, the response has a `Link` (rel="next") and an `X-Next-Cursor` header; pass the cursor back unchanged with the same filters.',
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    description: 'Opaque; from X-Next-Cursor or the next link of the previous page.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,96}$' },
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
      ...REQUEST_ID_HEADER,
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
    @Param('user_id') userId: string,
    @Query() query: ListTasksQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse[]> {
    const options = parseListQuery(query);
    const page = await this.tasks.list(userId, options);
    if (page.next) {
      const cursor = encodeCursor(page.next);
      const next = new URLSearchParams({ cursor, limit: String(options.limit) });
      if (options.completed !== undefined) next.set('completed', String(options.completed));
      if (options.order !== 'desc') next.set('order', String(options.order));
      reply.header('Link', `<${tasksPath(userId)}?${next.toString()}>; rel="next"`);
      reply.header('X-Next-Cursor', cursor);
    }
    return page.tasks.map(toTaskResponse);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createTask', summary: 'Create a task' })
  @ApiBody({ type: CreateTaskDto })
  @ApiCreatedResponse({
    description: 'The new task.',
    type: TaskResponseDto,
    headers: {
      ...REQUEST_ID_HEADER,
      Location: {
        description: 'Path of the new task: /api/{user_id}/tasks/{id}.',
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrorResponses(BODY_ERRORS)
  async create(
    @Param('user_id') userId: string,
    @Body(CreateTaskBody) body: CreateTaskDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.tasks.create(userId, body);
    reply.header('Location', `${tasksPath(userId)}/${task.id}`);
    return toTaskResponse(task);
  }

  @Get(':task_id')
  @ApiOperation({ operationId: 'getTask', summary: 'Get one task' })
  @ApiParam({ name: 'task_id', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ description: 'The task.', type: TaskResponseDto, headers: REQUEST_ID_HEADER })
  @ApiErrorResponses({ 400: ['INVALID_UUID', 'VALIDATION_ERROR'], 404: ['NOT_FOUND'] })
  async get(
    @Param('user_id') userId: string,
    @Param('task_id', UuidPipe) taskId: string,
  ): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.get(userId, taskId));
  }

  @Put(':task_id')
  @UpdateTaskDocs(
    'replaceTask',
    'Update a task (partial: any of title, description, completed; at least one)',
  )
  replace(
    @Param('user_id') userId: string,
    @Param('task_id', UuidPipe) taskId: string,
    @Body(UpdateTaskBody) body: UpdateTaskDto,
  ): Promise<TaskResponse> {
    return this.update(userId, taskId, body);
  }

  @Patch(':task_id')
  @UpdateTaskDocs('updateTask', 'Update a task (same as PUT)')
  async update(
    @Param('user_id') userId: string,
    @Param('task_id', UuidPipe) taskId: string,
    @Body(UpdateTaskBody) body: UpdateTaskDto,
  ): Promise<TaskResponse> {
    if (
      body.title === undefined &&
      body.description === undefined &&
      body.completed === undefined
    ) {
      throw validationError('At least one of title, description, completed is required', {
        body: ['must set at least one of title, description, completed'],
      });
    }
    return toTaskResponse(await this.tasks.update(userId, taskId, body));
  }

  @Patch(':task_id/complete')
  @ApiOperation({
    operationId: 'completeTask',
    summary: 'Toggle completed, or set it when the body says {"completed": true|false}',
  })
  @ApiParam({ name: 'task_id', schema: { type: 'string', format: 'uuid' } })
  @ApiBody({ type: CompleteTaskDto, required: false })
  @ApiOkResponse({ description: 'The task.', type: TaskResponseDto, headers: REQUEST_ID_HEADER })
  @ApiErrorResponses(TASK_BODY_ERRORS)
  async complete(
    @Param('user_id') userId: string,
    @Param('task_id', UuidPipe) taskId: string,
    @Body(CompleteTaskBody) body?: CompleteTaskDto,
  ): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.setCompleted(userId, taskId, body?.completed));
  }

  @Delete(':task_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'deleteTask', summary: 'Delete a task' })
  @ApiParam({ name: 'task_id', schema: { type: 'string', format: 'uuid' } })
  @ApiNoContentResponse({ description: 'Deleted; empty body.', headers: REQUEST_ID_HEADER })
  @ApiErrorResponses(TASK_BODY_ERRORS)
  async remove(
    @Param('user_id') userId: string,
    @Param('task_id', UuidPipe) taskId: string,
  ): Promise<void> {
    await this.tasks.delete(userId, taskId);
  }
}

function tasksPath(userId: string): string {
  return `/api/${encodeURIComponent(userId)}/tasks`;
}

/** The OpenAPI description shared by PUT and PATCH, which behave the same. */
function UpdateTaskDocs(operationId: string, summary: string) {
  return applyDecorators(
    ApiOperation({ operationId, summary }),
    ApiParam({ name: 'task_id', schema: { type: 'string', format: 'uuid' } }),
    ApiBody({ type: UpdateTaskDto }),
    ApiOkResponse({
      description: 'The updated task.',
      type: TaskResponseDto,
      headers: REQUEST_ID_HEADER,
    }),
    ApiErrorResponses(TASK_BODY_ERRORS),
  );
}
