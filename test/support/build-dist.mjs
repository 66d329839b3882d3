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
  const inputs = ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];
  return inputs.some((input) => newestMtime(join(root, input)) > statSync(main).mtimeMs);
}

/** Runs `nest build` when dist/ is missing or older than the sources; rejects with its output. */
export async function buildDistIfStale(root) {
  if (!distIsStale(root)) return false;
  const nest = join(root, 'node_modules', '.bin', 'nest');
  await new Promise((resolve, reject) => {
    const child = spawn(nest, ['build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`nest build failed (${code}):\n${output}`)),
    );
  });
  return true;
}
