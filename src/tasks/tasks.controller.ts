import {
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
import type { FastifyReply } from 'fastify';
import { validationError } from '../common/api-error';
import { UuidPipe } from '../common/uuid.pipe';
import { CompleteTaskDto } from './dto/complete-task.dto';
import { CreateTaskDto } from './dto/create-task.dto';
import { parseListQuery } from './dto/list-tasks.query';
import type { ListTasksQuery } from './dto/list-tasks.query';
import { TaskResponse, toTaskResponse } from './dto/task.response';
import { UpdateTaskDto } from './dto/update-task.dto';
import { encodeCursor } from './task-cursor';
import { TasksService } from './tasks.service';

/**
 * The tasks of one user. `:user_id` is the owner; the auth guard has already checked that it is
 * the caller's own id, so every call below passes it to the service as the owner.
 */
@Controller('api/:user_id/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
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
      reply.header('Link', `<${tasksPath(userId)}?${next}>; rel="next"`);
      reply.header('X-Next-Cursor', cursor);
    }
    return page.tasks.map(toTaskResponse);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(
    @Param('user_id') userId: string,
    @Body() body: CreateTaskDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.tasks.create(userId, body);
    reply.header('Location', `${tasksPath(userId)}/${task.id}`);
    return toTaskResponse(task);
  }

  @Get(':task_id')
  async get(
    @Param('user_id') userId: string,
    @Param('task_id', UuidPipe) taskId: string,
  ): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.get(userId, taskId));
  }

  @Put(':task_id')
  replace(
    @Param('user_id') userId: string,
    @Param('task_id', UuidPipe) taskId: string,
    @Body() body: UpdateTaskDto,
  ): Promise<TaskResponse> {
    return this.update(userId, taskId, body);
  }

  @Patch(':task_id')
  async update(
    @Param('user_id') userId: string,
    @Param('task_id', UuidPipe) taskId: string,
    @Body() body: UpdateTaskDto,
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
  async complete(
    @Param('user_id') userId: string,
    @Param('task_id', UuidPipe) taskId: string,
    @Body() body?: CompleteTaskDto,
  ): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.setCompleted(userId, taskId, body?.completed));
  }

  @Delete(':task_id')
  @HttpCode(HttpStatus.NO_CONTENT)
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
