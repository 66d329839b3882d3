import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

type Value = { value: unknown };

const blankToUndefined = ({ value }: Value) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const toInt = ({ value }: Value) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: Value) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

export const EnvInt = (min: number, max: number) =>
  applyDecorators(Transform(toInt), IsInt(), Min(min), Max(max));

export const EnvBool = () => applyDecorators(Transform(toBool), IsBoolean());

/** A variable that may be unset (blank is unset), checked by `validators` when set. */
export const EnvOptional = (...validators: PropertyDecorator[]) =>
  applyDecorators(Transform(blankToUndefined), IsOptional(), ...validators);

export const EnvOptionalInt = (min: number, max: number) => EnvOptional(EnvInt(min, max));

/** A blank value is unset (so required validators say "required"). */
export const EnvRequired = (...validators: PropertyDecorator[]) =>
  applyDecorators(Transform(blankToUndefined), ...validators);

/** One of `values`; `auto` and booleans spelled as EnvBool reads them. */
export const EnvChoice = (values: readonly unknown[]) =>
  applyDecorators(
    Transform(({ value }: Value) =>
      typeof value === 'string' && values.includes(value.trim().toLowerCase())
        ? value.trim().toLowerCase()
        : toBool({ value }),
    ),
    IsIn(values as unknown[]),
  );
