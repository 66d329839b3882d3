import { Module } from '@nestjs/common';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

/** Only the service leaves this module; the repository stays behind it. */
@Module({
  providers: [TasksRepository, TasksService],
  exports: [TasksService],
})
export class TasksModule {}
