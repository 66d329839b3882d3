import { Body, type Type } from '@nestjs/common';
import { ApiBody, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OpenApiSchema } from '../openapi/schema.decorator';
import { checkFor, type FieldCheck, type FieldRule, schemaFor } from './field-rules';
import { JsonBodyPipe } from './json-body.pipe';

export interface JsonBodyOptions {
  /** The schema name in the OpenAPI document. */
  name: string;
  description: string;
  /** At least one field must be sent (partial updates). */
  atLeastOne?: boolean;
  /** The request may have no body at all. */
  optional?: boolean;
}

export interface BodyFieldOptions {
  required?: boolean;
  /** Documentation only: the value the service uses when the field is not sent. */
  default?: unknown;
}

interface DeclaredField {
  name: string;
  check: FieldCheck;
  required: boolean;
}

const FIELDS = Symbol('json body fields');
const OPTIONS = Symbol('json body options');
const pipes = new WeakMap<Type, JsonBodyPipe<unknown>>();

/**
 * A request body class: its `@BodyField` rules are what the body is validated against
 * (`@ValidBody`), and they, with the options here, make its OpenAPI schema: closed, since any
 * other field is refused, and `minProperties: 1` with `atLeastOne`.
 */
export function JsonBody(options: JsonBodyOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(OPTIONS, options, target);
    OpenApiSchema({
      name: options.name,
      description: options.description,
      closed: true,
      minProperties: options.atLeastOne ? 1 : undefined,
    })(target);
  };
}

/** One field of a {@link JsonBody} class, validated and documented by the same rule. */
export function BodyField(rule: FieldRule, options: BodyFieldOptions = {}): PropertyDecorator {
  return (target, key) => {
    const name = String(key);
    const declared =
      (Reflect.getOwnMetadata(FIELDS, target.constructor) as DeclaredField[] | undefined) ?? [];
    const field = { name, check: checkFor(name, rule), required: options.required === true };
    Reflect.defineMetadata(FIELDS, [...declared, field], target.constructor);
    const schema = {
      ...schemaFor(rule),
      ...('default' in options && { default: options.default }),
    };
    (field.required ? ApiProperty(schema) : ApiPropertyOptional(schema))(target, key);
  };
}

/** The pipe that validates a body against the rules of its {@link JsonBody} class (one per class). */
export function bodyPipeFor<T>(type: Type<T>): JsonBodyPipe<T> {
  let pipe = pipes.get(type);
  if (pipe === undefined) {
    const options = Reflect.getOwnMetadata(OPTIONS, type) as JsonBodyOptions | undefined;
    const fields = Reflect.getOwnMetadata(FIELDS, type) as DeclaredField[] | undefined;
    if (options === undefined || fields === undefined) {
      throw new Error(`${type.name} is not a @JsonBody class with @BodyField properties`);
    }
    pipe = new JsonBodyPipe({
      fields: Object.fromEntries(fields.map((f) => [f.name, f.check])),
      required: fields.filter((f) => f.required).map((f) => f.name),
      atLeastOne: options.atLeastOne,
      optional: options.optional,
    });
    pipes.set(type, pipe);
  }
  return pipe as JsonBodyPipe<T>;
}

/**
 * The request body, validated against the rules of `type` and documented as `type` (required
 * unless the class says `optional`). There is no global validation pipe: a plain `@Body()` would
 * reach its handler unchecked, so the app refuses to start with one (BodyValidationCheck).
 */
export function ValidBody(type: Type): ParameterDecorator {
  const optional = (Reflect.getOwnMetadata(OPTIONS, type) as JsonBodyOptions | undefined)?.optional;
  const pipe = bodyPipeFor(type);
  return (target, key, index) => {
    Body(pipe)(target, key, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    ApiBody({ type, required: !optional })(target, key!, descriptor);
  };
}
