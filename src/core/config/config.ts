import { existsSync } from 'node:fs';
import type { Provider, Type } from '@nestjs/common';
import { ConfigService, registerAs } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';

export type EnvironmentInput = Record<string, string | undefined>;

/** A section may check rules that span variables (or sections). */
type CheckedSection = { check?(config: Config): string[] };

const sections = new Map<Type, string>();

/** One module's settings: environment variables validated by class-validator, namespace `name`. */
export function ConfigSection(name: string): ClassDecorator {
  return (target) => void sections.set(target as unknown as Type, name);
}

/** Every section loaded so far (a module's section is registered when its file is imported). */
export function configSections(): Type[] {
  return [...sections.keys()];
}

export function variablesOf(type: Type): string[] {
  const names = getMetadataStorage()
    .getTargetValidationMetadatas(type, '', true, false)
    .map((m) => m.propertyName);
  return [...new Set(names)];
}

/** Loads `.env` when there is one; variables already set win over it. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** `.env`, then the environment; invalid configuration is its problems on stderr and exit code 1. */
export function loadConfigOrExit(load: (raw: EnvironmentInput) => Config): Config {
  loadEnvFile();
  try {
    return load(process.env);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

export class Config {
  constructor(private readonly values: ReadonlyMap<Type, object>) {}

  get<T>(type: Type<T>): T {
    const value = this.values.get(type);
    if (value === undefined) throw new Error(`${type.name} was not loaded`);
    return value as T;
  }

  namespaces() {
    return [...this.values].map(([type, value]) => registerAs(sections.get(type)!, () => value));
  }
}

/** One line per bad variable, naming it; values are never echoed (they may hold a password). */
function describe(errors: ValidationError[]): string[] {
  return errors.map((e) => {
    if (e.value === undefined) return `${e.property} is required but not set`;
    const reasons = Object.values(e.constraints ?? {}).map((m) => m.replace(/^\S+ /, ''));
    return `${e.property} is invalid: ${reasons.join('; ')}`;
  });
}

/** Validates `types` (every registered section unless given), reporting every problem at once. */
export function loadConfig(raw: EnvironmentInput, types: Type[] = configSections()): Config {
  const problems: string[] = [];
  const values = new Map<Type, object>();
  for (const type of types) {
    const own = Object.fromEntries(variablesOf(type).map((name) => [name, raw[name]]));
    const section = plainToInstance(type, own, { exposeDefaultValues: true }) as object;
    problems.push(...describe(validateSync(section, { forbidUnknownValues: false })));
    values.set(type, section);
  }
  const config = new Config(values);
  for (const section of values.values()) {
    problems.push(...((section as CheckedSection).check?.(config) ?? []));
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

/** Provides a module's own section, injected by its class: `constructor(config: TasksConfig)`. */
export function configProvider<T>(type: Type<T>): Provider<T> {
  const name = sections.get(type);
  if (name === undefined) throw new Error(`${type.name} is not a @ConfigSection`);
  return {
    provide: type,
    inject: [ConfigService],
    useFactory: (c: ConfigService) => c.get<T>(name)!,
  };
}
