import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Finished extends Exit {
  stdout: string;
  stderr: string;
}

export interface ProcessUnderTest {
  child: ChildProcess;
  /** What the process printed so far. */
  stdout(): string;
  stderr(): string;
  /** stdout and stderr so far. */
  output(): string;
  /** Parsed JSON log lines of stdout so far. */
  logs(): Array<Record<string, unknown>>;
  exited: Promise<Exit>;
  /** Resolves with the exit, or rejects after `ms` (the process keeps running). */
  waitForExit(ms: number): Promise<Exit>;
  /** Waits for the exit, SIGKILLing the process after `timeoutMs`; answers what it printed. */
  finish(timeoutMs?: number): Promise<Finished>;
  /** SIGKILL if still running; waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts `command` with exactly `env` (plus PATH), so no variable of the developer's leaks in, in
 * `cwd` or else an empty scratch folder (removed when the process ends), so no `.env` file does.
 */
export function spawnProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string } = {},
): ProcessUnderTest {
  const scratch = options.cwd ? undefined : mkdtempSync(join(tmpdir(), 'tasks-api-run-'));
  const child = spawn(command, args, {
    cwd: options.cwd ?? scratch,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    // 'close', not 'exit': by then stdout and stderr have been read to the end.
    child.on('close', (code, signal) => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      resolve({ code, signal });
    });
  });
  // A spawn error reaches whoever awaits the exit; nobody awaiting is not a crash of the run.
  exited.catch(() => undefined);
  const running = () => child.exitCode === null && child.signalCode === null;
  const withTimeout = (ms: number, onTimeout: () => void): Promise<Exit> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout();
        reject(new Error(`${command} still running after ${ms} ms`));
      }, ms);
    });
    return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
  };
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => stdout + stderr,
    logs: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited,
    waitForExit: (ms) => withTimeout(ms, () => undefined),
    async finish(timeoutMs = 20_000) {
      const exit = await withTimeout(timeoutMs, () => child.kill('SIGKILL')).catch(() => exited);
      return { ...exit, stdout, stderr };
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Runs a command to completion (killed after `timeoutMs`) with exactly `env` plus PATH and HOME
 * (npm needs a home), by default in an empty scratch folder.
 */
export function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<Finished> {
  const withHome = { HOME: process.env.HOME ?? '', ...env };
  return spawnProcess(command, args, withHome, options).finish(options.timeoutMs);
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
