import { Controller, Get } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { DECORATORS } from '@nestjs/swagger';
import { ApiError } from '../errors/api-error';
import { UuidParam, UuidPipe } from './uuid.pipe';

@Controller('things')
class Things {
  @Get(':thing_id')
  get(@UuidParam('thing_id') id: string) {
    return id;
  }
}

describe('UuidParam', () => {
  it('lower-cases a UUID; refuses anything else as INVALID_UUID naming the parameter', () => {
    const pipe = new UuidPipe('thing_id');
    expect(pipe.transform('0B7F5E3C-6A2D-4F59-9A8E-2F1F3C4D5E6F')).toBe(
      '0b7f5e3c-6a2d-4f59-9a8e-2f1f3c4d5e6f',
    );
    let refusal: ApiError | undefined;
    try {
      pipe.transform('nope');
    } catch (error) {
      refusal = error as ApiError;
    }
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({
      code: 'INVALID_UUID',
      message: 'thing_id: must be a UUID',
      details: { fields: { thing_id: ['must be a UUID'] } },
    });
    expect(refusal!.getStatus()).toBe(400);
  });

  it('takes the path parameter through its pipe and documents it', () => {
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Things, 'get') as Record<
      string,
      { data: string; pipes: unknown[] }
    >;
    const [param] = Object.values(args);
    expect(param.data).toBe('thing_id');
    expect(param.pipes[0]).toBeInstanceOf(UuidPipe);
    const documented = Reflect.getMetadata(
      DECORATORS.API_PARAMETERS,
      Things.prototype.get,
    ) as unknown;
    expect(documented).toEqual([
      expect.objectContaining({
        in: 'path',
        name: 'thing_id',
        schema: { type: 'string', format: 'uuid' },
      }),
    ]);
  });
});
