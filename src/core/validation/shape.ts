import type { Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { ValidateBy, ValidateIf } from 'class-validator';
import { OpenApiSchema } from '../openapi/schema.decorator';

export interface ShapeOptions {
  /** The schema name in the OpenAPI document (bodies; a query's fields become parameters). */
  name?: string;
  description?: string;
  atLeastOne?: boolean;
  /** The request may come without a body at all: the handler then gets undefined. */
  optional?: boolean;
}

export interface FieldOptions {
  required?: boolean;
  /** What the handler gets when the field is absent; documented as the schema's default. */
  default?: unknown;
}

export interface FieldSpec extends FieldOptions {
  doc: ApiPropertyOptions;
  /** class-validator constraints in the order they run; the first that fails is the message. */
  checks: PropertyDecorator[];
  /** null skips the checks and is kept (it clears the field). */
  nullable?: boolean;
  /** From the wire form to the checked one: trim a text, parse a query string. */
  read?: (raw: unknown) => unknown;
}

type DeclaredField = Pick<FieldSpec, 'default' | 'read' | 'required'> & { name: string };

export interface Shape {
  type: Type;
  options: ShapeOptions;
  fields: ReadonlyMap<string, DeclaredField>;
  /** Whether a field is required: else an input with none of the fields has nothing to check. */
  required: boolean;
}

const FIELDS = Symbol('input fields');
const OPTIONS = Symbol('input shape');
const shapes = new WeakMap<Type, Shape>();
const optionalBodies = new Set<string>();

export function Check(name: string, message: string, valid: (value: never) => boolean) {
  return ValidateBy({ name, validator: { validate: (value: never) => valid(value) } }, { message });
}

/** One field of an input class, checked and documented from the same spec; subclasses inherit it. */
export function Field(spec: FieldSpec): PropertyDecorator {
  const { required = false, nullable = false, checks, read } = spec;
  return (target, key) => {
    const skip = (value: unknown) =>
      (value === undefined && !required) || (value === null && nullable);
    ValidateIf((_, value) => !skip(value))(target, key);
    // Absent is "is required", never the type's message; null is judged by the type.
    if (required) Check('present', 'is required', (value) => value !== undefined)(target, key);
    for (const check of checks) check(target, key);
    const doc = { ...spec.doc, default: spec.default, required } as ApiPropertyOptions;
    ApiProperty(doc)(target, key);
    const declared = (Reflect.getMetadata(FIELDS, target.constructor) as DeclaredField[]) ?? [];
    const field = { name: String(key), read, required, default: spec.default };
    Reflect.defineMetadata(FIELDS, [...declared, field], target.constructor);
  };
}

/** A request body or query class, validated by the global pipe; closed to any other field. */
export function InputShape(options: ShapeOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(OPTIONS, options, target);
    const { name, description, atLeastOne, optional } = options;
    if (name === undefined) return;
    OpenApiSchema({ name, description, closed: true, minProperties: atLeastOne ? 1 : undefined })(
      target,
    );
    if (optional) optionalBodies.add(name);
  };
}

/** The shape of an input class, or undefined when it declares no field. */
export function shapeOf(type: Type | undefined): Shape | undefined {
  if (type === undefined) return undefined;
  let shape = shapes.get(type);
  if (shape !== undefined) return shape;
  const declared = Reflect.getMetadata(FIELDS, type) as DeclaredField[] | undefined;
  if (declared === undefined) return undefined;
  const options = (Reflect.getMetadata(OPTIONS, type) as ShapeOptions | undefined) ?? {};
  const fields = new Map(declared.map((field) => [field.name, field]));
  shape = { type, options, fields, required: declared.some((field) => field.required) };
  shapes.set(type, shape);
  return shape;
}

/** Schema names of the bodies a request may leave out, for the OpenAPI document. */
export function optionalBodySchemas(): ReadonlySet<string> {
  return optionalBodies;
}
