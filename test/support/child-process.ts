import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_JWT_SECRET } from './auth';

export const ROOT = join(__dirname, '..', '..');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion with exactly `env` (plus PATH/HOME), killing it after `timeoutMs`.
 * The default working directory is an empty temporary folder, so no developer's `.env` leaks in.
 */
export function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<Finished> {
  const scratch = options.cwd ? undefined : mkdtempSync(join(tmpdir(), 'tasks-api-run-'));
  const cwd = options.cwd ?? (scratch as string);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * The built app, as `npm run start:prod` runs it. It gets the test token secret unless `env`
 * sets AUTH_JWT_SECRET itself (to '' to start it without one).
 */
export function runMain(env: Record<string, string>, timeoutMs?: number): Promise<Finished> {
  const withAuth = { AUTH_JWT_SECRET: TEST_JWT_SECRET, ...env };
  return run(process.execPath, [join(ROOT, 'dist', 'main.js')], withAuth, { timeoutMs });
}

/**
 * Every startup failure: exit code 1, one line naming the problem, no stack trace, and `secret`
 * (the password the test put in the URL) nowhere in the output.
 */
export function expectCleanFailure(result: Finished, message: RegExp, secret: string): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}
