import { ApiSchema, ApiTags, type SchemaObject } from '@nestjs/swagger';

/**
 * `@ApiSchema` plus the schema-level keywords it has no option for: @nestjs/swagger copies every
 * key of its options but `name` into the schema, as it does `description`.
 */
export function OpenApiSchema(options: {
  name: string;
  description?: string;
  /** No other properties: a body that refuses unknown fields, or a response of exact shape. */
  closed?: boolean;
  /** The fewest properties an instance has (a partial update sends at least one). */
  minProperties?: number;
}): ClassDecorator {
  const { name, description, closed, minProperties } = options;
  const keywords: SchemaObject = {};
  if (closed) keywords.additionalProperties = false;
  if (minProperties !== undefined) keywords.minProperties = minProperties;
  return ApiSchema({ name, description, ...keywords });
}

/** Each feature's tag and its description, for the document's `tags` (features first). */
export const FEATURE_TAGS = new Map<string, string>();

/** `@ApiTags(name)` and the tag's description: each feature documents its own group. */
export function ApiTag(name: string, description: string): ClassDecorator {
  FEATURE_TAGS.set(name, description);
  return ApiTags(name);
}
