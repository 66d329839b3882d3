import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** name and version from package.json, which sits two levels up from both src/ and dist/ files. */
export const APP_INFO: { name: string; version: string } = (() => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return { name: String(pkg.name), version: String(pkg.version) };
})();
