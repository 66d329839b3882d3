import { Body, Controller, Post } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';
import { HealthController } from '../ops/health.controller';
import { TasksController } from '../../tasks/tasks.controller';
import { CreateTaskDto } from '../../tasks/dto/create-task.dto';
import { BodyValidationCheck, uncheckedBodies } from './body-validation.check';
import { ValidBody } from './json-body.decorators';

@Controller('probe')
class Careless {
  @Post('checked')
  checked(@ValidBody(CreateTaskDto) body: CreateTaskDto) {
    return body;
  }

  @Post('unchecked')
  unchecked(@Body() body: unknown) {
    return body;
  }
}

const containerOf = (...controllers: unknown[]) =>
  new Map([
    ['m', { controllers: new Map(controllers.map((c, i) => [i, { metatype: c }])) }],
  ]) as unknown as ModulesContainer;

describe('BodyValidationCheck', () => {
  it('finds a @Body() without its pipe, and nothing in the app’s controllers', () => {
    expect(uncheckedBodies(Careless)).toEqual(['Careless.unchecked']);
    expect(uncheckedBodies(TasksController)).toEqual([]);
    expect(uncheckedBodies(HealthController)).toEqual([]);
  });

  it('refuses to start with one, naming it', () => {
    expect(() =>
      new BodyValidationCheck(containerOf(TasksController)).onModuleInit(),
    ).not.toThrow();
    expect(() =>
      new BodyValidationCheck(containerOf(TasksController, Careless)).onModuleInit(),
    ).toThrow(/Careless\.unchecked.*@ValidBody/);
  });
});
