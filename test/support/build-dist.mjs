// The startup and ops tests run the built app (`node dist/main.js`, `node dist/migrate.js`)
// the way production does, so dist/ must be complete and made from the sources as they are now.
// The age of one file cannot tell: `npm run dev` (`nest start --watch`) deletes dist/ and writes
// the app again without dist/migrations, newer than every source. So the global setup trusts
// dist/ only when every file a build makes is there (the compiled migrations included) and a
// stamp written after its own last complete build still matches the sources' content; any other
// dist/ is rebuilt.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Written into dist/ after a complete build; `nest build` and `nest start` delete it with dist/. */
export const BUILD_STAMP = join('dist', '.build-inputs.sha256');

/** Files besides src/ and migrations/ whose content changes what a build makes. */
const CONFIG_INPUTS = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.migrations.json',
  'nest-cli.json',
];

function tsFilesUnder(root, dir) {
  const found = [];
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ts$/.test(entry.name) && !/\.(spec|d)\.ts$/.test(entry.name)) found.push(full);
    }
  };
  if (existsSync(join(root, dir))) walk(join(root, dir));
  return found.map((file) => relative(root, file).split(sep).join('/')).sort();
}

/** Every file a build reads that decides what it writes. */
export function buildInputs(root) {
  return [...CONFIG_INPUTS, ...tsFilesUnder(root, 'src'), ...tsFilesUnder(root, 'migrations')];
}

/** What `npm run build` writes for each source: src/x.ts -> dist/x.js, migrations/y.ts -> dist/migrations/y.js. */
export function expectedOutputs(root) {
  return [
    ...tsFilesUnder(root, 'src').map((f) => `dist/${f.slice('src/'.length, -3)}.js`),
    ...tsFilesUnder(root, 'migrations').map((f) => `dist/${f.slice(0, -3)}.js`),
  ];
}

export function inputsDigest(root) {
  const hash = createHash('sha256');
  for (const file of buildInputs(root)) {
    hash.update(file).update('\0');
    hash.update(existsSync(join(root, file)) ? readFileSync(join(root, file)) : '(none)');
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Why dist/ cannot be used as it is, or undefined when it can. */
export function distProblem(root) {
  const stamp = join(root, BUILD_STAMP);
  if (!existsSync(stamp)) return 'dist/ was not made by a complete build (no build stamp)';
  if (readFileSync(stamp, 'utf8').trim() !== inputsDigest(root))
    return 'the sources changed since dist/ was built';
  const missing = expectedOutputs(root).filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) return `dist/ lacks ${missing.slice(0, 3).join(', ')}`;
  return undefined;
}

export function distIsStale(root) {
  return distProblem(root) !== undefined;
}

function exec(root, command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} failed (${code}):\n${output}`)),
    );
  });
}

/**
 * What `npm run build` does (the app, then the compiled migrations the built app looks for),
 * when dist/ is unusable; then the stamp, of the sources as they were when the build began (an
 * edit during the build makes the next run build again).
 */
export async function buildDistIfStale(root) {
  if (!distIsStale(root)) return false;
  const digest = inputsDigest(root);
  await exec(root, join(root, 'node_modules', '.bin', 'nest'), ['build']);
  await exec(root, process.execPath, [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    'tsconfig.migrations.json',
  ]);
  const missing = expectedOutputs(root).filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) throw new Error(`the build did not write ${missing.join(', ')}`);
  writeFileSync(join(root, BUILD_STAMP), `${digest}\n`);
  return true;
}

// `node test/support/build-dist.mjs check|build [root]`: the same decision outside jest (the
// freshness test runs it on a scratch copy of the project).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command, root = process.cwd()] = process.argv.slice(2);
  if (command === 'check') process.stdout.write(`${distProblem(root) ?? 'fresh'}\n`);
  else if (command === 'build')
    process.stdout.write(`${(await buildDistIfStale(root)) ? 'built' : 'fresh'}\n`);
  else {
    process.stderr.write('usage: build-dist.mjs check|build [root]\n');
    process.exitCode = 2;
  }
}
