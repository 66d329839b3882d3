import { loadAppConfig } from '../../src/app.module';
import { configSections, ConfigValidationError, variablesOf } from '../../src/core/config/config';

/** Every variable the app reads, from its own validated config sections. */
export const KNOWN_VARIABLES: ReadonlySet<string> = new Set(configSections().flatMap(variablesOf));

/** The variables the app refuses to start without, from its own validation ('A or B' for either). */
export function requiredVariables(): string[] {
  try {
    loadAppConfig({});
    return [];
  } catch (error) {
    return (error as ConfigValidationError).problems
      .map((p) => /^(\w+) is required/.exec(p)?.[1] ?? /^(\w+ or \w+) is required/.exec(p)?.[1])
      .filter((v): v is string => v !== undefined);
  }
}
