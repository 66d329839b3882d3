import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { configProvider } from '../core/config/config';
import { TASK_ENTITIES } from './task.entity';
import { TasksConfig } from './tasks.config';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

@Module({
  imports: [TypeOrmModule.forFeature(TASK_ENTITIES)],
  controllers: [TasksController],
  providers: [configProvider(TasksConfig), TasksRepository, TasksService],
  exports: [TasksService],
})
export class TasksModule {}
