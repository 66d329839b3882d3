import { Controller, Get } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { DECORATORS } from '@nestjs/swagger';
import { ApiError } from '../errors/api-error';
import type { PipeTransform } from '@nestjs/common';
import { UuidParam } from './uuid.pipe';

@Controller('things')
class Things {
  @Get(':thing_id')
  get(@UuidParam('thing_id') id: string) {
    return id;
  }
}

/** The one path parameter of `Things.get`, as Nest sees it. */
const param = () => {
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Things, 'get') as Record<
    string,
    { data: string; pipes: PipeTransform[] }
  >;
  return Object.values(args)[0];
};

describe('UuidParam', () => {
  it('lower-cases a UUID; refuses anything else as INVALID_UUID naming the parameter', () => {
    const pipe = param().pipes[0] as PipeTransform<string, string>;
    const metadata = { type: 'param', data: 'thing_id' } as const;
    expect(pipe.transform('0B7F5E3C-6A2D-4F59-9A8E-2F1F3C4D5E6F', metadata)).toBe(
      '0b7f5e3c-6a2d-4f59-9a8e-2f1f3c4d5e6f',
    );
    let refusal: ApiError | undefined;
    try {
      pipe.transform('nope', metadata);
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
    expect(param().data).toBe('thing_id');
    expect(param().pipes).toHaveLength(1);
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
