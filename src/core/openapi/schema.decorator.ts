import { ApiSchema, type SchemaObject } from '@nestjs/swagger';

export interface OpenApiSchemaOptions {
  name: string;
  description?: string;
  /** No other properties: a body that refuses unknown fields, or a response of exact shape. */
  closed?: boolean;
  /** The fewest properties an instance has (a partial update sends at least one). */
  minProperties?: number;
}

/** Schema keywords @nestjs/swagger has no decorator for, by schema name. */
const keywords = new Map<string, SchemaObject>();

/**
 * `@ApiSchema` plus the schema-level keywords it cannot express, recorded where the class is
 * declared and applied by `buildOpenApiDocument`, so no list of schema names has to be kept in
 * step elsewhere.
 */
export function OpenApiSchema(options: OpenApiSchemaOptions): ClassDecorator {
  const { name, description, closed, minProperties } = options;
  const extra: SchemaObject = {};
  if (closed) extra.additionalProperties = false;
  if (minProperties !== undefined) extra.minProperties = minProperties;
  return (target) => {
    ApiSchema({ name, description })(target);
    if (Object.keys(extra).length > 0) keywords.set(name, extra);
  };
}

/** What {@link OpenApiSchema} recorded, for the document builder. */
export function schemaKeywords(): ReadonlyMap<string, SchemaObject> {
  return keywords;
}
