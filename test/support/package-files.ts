import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './child-process';

// The fields of package.json and package-lock.json that tests read. The files are not checked
// against these types: each test's assertions are the check, field by field.

export interface PackageJson {
  engines: { node: string };
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  /** npm 12 runs a dependency's install script only if this allows it. */
  allowScripts: Record<string, boolean>;
}

/** lockfileVersion 3: one entry per installed path under node_modules, and '' for the project. */
export interface PackageLock {
  packages: Record<string, { engines?: PackageJson['engines']; hasInstallScript?: boolean }>;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

export const readPackageJson = () => readJson('package.json') as PackageJson;
export const readPackageLock = () => readJson('package-lock.json') as PackageLock;
