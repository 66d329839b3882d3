import { ApiProperty } from '@nestjs/swagger';
import { OpenApiSchema } from '../openapi/schema.decorator';
import { errorCodes, type ErrorDetails } from './api-error';

/** The body of every error answer, and its OpenAPI schema; never instantiated. */
@OpenApiSchema({
  name: 'Error',
  description: 'The body of every error response, whatever produced it.',
  closed: true,
})
export class ErrorBodyDto {
  @ApiProperty({ enum: errorCodes, enumName: 'ErrorCode', example: 'NOT_FOUND' })
  code: string;

  @ApiProperty({
    description: 'For people; may change. Branch on `code`.',
    example: 'Task not found',
  })
  message: string;

  @ApiProperty({
    description:
      '`message` again, under the name RFC 9457 and FastAPI-style clients use; show this one to people.',
    example: 'Task not found',
  })
  detail: string;

  @ApiProperty({
    type: 'object',
    description:
      'Extra facts about the error. VALIDATION_ERROR and INVALID_UUID list each field and what is wrong with it in `fields`.',
    properties: {
      fields: {
        type: 'object',
        additionalProperties: { type: 'array', items: { type: 'string' } },
        example: { title: ['must not be blank'] },
      },
    },
    additionalProperties: true,
  })
  details: ErrorDetails;

  @ApiProperty({
    description:
      'The request id, also in the X-Request-Id header; quote it when reporting a problem.',
    example: '5f0c6a8e-3c2b-4f8e-9d71-0a4b2c6d8e10',
  })
  request_id: string;
}
