import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { OpenApiSchema } from '../openapi/schema.decorator';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../paging/keyset';
import { IntegerParam } from '../validation/fields';
import { Field } from '../validation/shape';
import type { ChangeRequest, Deleted } from './change-feed';
import { decodeSyncToken, SYNC_TOKEN_PATTERN, type SyncToken } from './sync-token';

/** The query of a change feed, validated by the global pipe; `since` is given decoded. */
export class ChangesQuery {
  @IntegerParam({
    min: 1,
    max: PAGE_LIMIT_MAX,
    default: PAGE_LIMIT_DEFAULT,
    description: 'Most items (changes and deletions together) in one answer.',
  })
  limit: number;

  @Field({
    read: (raw) => decodeSyncToken(String(raw)) ?? raw,
    checks: [IsObject({ message: 'must be a token this feed gave (next), unchanged' })],
    doc: {
      type: String,
      pattern: SYNC_TOKEN_PATTERN.source,
      description: 'Opaque: the `next` of the previous answer. Without it: every current item.',
    },
  })
  since?: SyncToken;

  request(maxBytes: number, retentionDays: number): ChangeRequest {
    return { token: this.since, limit: this.limit, maxBytes, retentionDays };
  }
}

@OpenApiSchema({ name: 'Deletion', description: 'An item deleted since the token.', closed: true })
class DeletionDto implements Deleted {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'ISO-8601 UTC with milliseconds.',
  })
  deleted_at: string;
}

/** The OpenAPI schema of a change feed's answer whose `changes` are `item`s. */
export function changesSchema(item: Type, name: string): Type {
  @OpenApiSchema({ name, closed: true })
  class ChangesDto {
    @ApiProperty({ type: item, isArray: true, description: 'Current state of each item changed.' })
    changes: unknown[];

    @ApiProperty({ type: DeletionDto, isArray: true })
    deleted: DeletionDto[];

    @ApiProperty({ description: 'Pass it back as `since`; opaque.' })
    next: string;

    @ApiProperty({ description: 'More follow now: ask again with `next` at once.' })
    has_more: boolean;
  }
  return ChangesDto;
}
