// The startup tests run the built app (`node dist/main.js`) the way production does. A fresh
// clone has no dist/, and a stale one would test old code: build when any source is newer.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path) {
  const stat = statSync(path);
  if (path.endsWith('.spec.ts')) return 0; // not part of the build
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, entry) => Math.max(max, newestMtime(join(path, entry))), 0);
}

export function distIsStale(root) {
  const main = join(root, 'dist', 'main.js');
  if (!existsSync(main)) return true;
  const inputs = [
    'src',
    'migrations',
    'package.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'tsconfig.migrations.json',
    'nest-cli.json',
  ];
  return inputs.some((input) => newestMtime(join(root, input)) > statSync(main).mtimeMs);
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
 * when dist/ is missing or older than its sources.
 */
export async function buildDistIfStale(root) {
  if (!distIsStale(root)) return false;
  await exec(root, join(root, 'node_modules', '.bin', 'nest'), ['build']);
  await exec(root, process.execPath, [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    'tsconfig.migrations.json',
  ]);
  return true;
}
