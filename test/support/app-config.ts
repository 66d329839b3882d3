import { getMetadataStorage } from 'class-validator';
import {
  ConfigValidationError,
  Environment,
  validateEnvironment,
} from '../../src/config/environment';

/** Every variable the app reads, from its own validated Environment class. */
export const KNOWN_VARIABLES: ReadonlySet<string> = new Set(
  getMetadataStorage()
    .getTargetValidationMetadatas(Environment, '', true, false)
    .map((m) => m.propertyName),
);

/** The variables the app refuses to start without, from its own validation ('A or B' for either). */
export function requiredVariables(): string[] {
  try {
    validateEnvironment({});
    return [];
  } catch (error) {
    return (error as ConfigValidationError).problems
      .map((p) => /^(\w+) is required/.exec(p)?.[1] ?? /^(\w+ or \w+) is required/.exec(p)?.[1])
      .filter((v): v is string => v !== undefined);
  }
}
