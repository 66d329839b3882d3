import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A real PostgreSQL server owned by one test, which may stop and start it (the shared test server
 * must not be restarted under the other test files). Runs in a child process; see the .mjs file.
 */
export class PrivatePostgres {
  private readonly answers: string[] = [];
  private waiter: ((line: string) => void) | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(timeoutMs = 60_000): Promise<PrivatePostgres> {
    const child = spawn(process.execPath, [join(__dirname, 'private-postgres.mjs')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    const first = new Promise<string>((resolve) => lines.once('line', resolve));
    const line = await withTimeout(first, timeoutMs, 'private PostgreSQL did not start');
    if (!line.startsWith('ready ')) {
      child.kill('SIGKILL');
      throw new Error(`private PostgreSQL failed: ${line}`);
    }
    const instance = new PrivatePostgres(child, line.slice('ready '.length));
    lines.on('line', (l) => instance.answer(l));
    return instance;
  }

  private answer(line: string): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter(line);
    else this.answers.push(line);
  }

  private command(command: string, expected: string, timeoutMs: number): Promise<void> {
    const answered = new Promise<string>((resolve) => {
      const queued = this.answers.shift();
      if (queued !== undefined) resolve(queued);
      else this.waiter = resolve;
    });
    this.child.stdin!.write(`${command}\n`);
    return withTimeout(answered, timeoutMs, `${command} timed out`).then((line) => {
      if (line !== expected) throw new Error(`${command}: ${line}`);
    });
  }

  /** Fast shutdown (SIGINT): sessions are terminated, as in a managed database's restart. */
  stop(): Promise<void> {
    return this.command('stop', 'stopped', 30_000);
  }

  start(): Promise<void> {
    return this.command('start', 'started', 30_000);
  }

  /** Stops the server and removes its data. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end('exit\n');
    await withTimeout(exited, 30_000, 'private PostgreSQL did not exit').catch(() =>
      this.child.kill('SIGKILL'),
    );
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
