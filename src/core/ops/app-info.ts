import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** name and version from package.json, which sits two levels up from both src/ and dist/ files. */
export const APP_INFO: { name: string; version: string } = (() => {
  const file = join(__dirname, '..', '..', '..', 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  return { name: String(pkg.name), version: String(pkg.version) };
})();
