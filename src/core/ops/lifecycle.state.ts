import { Injectable } from '@nestjs/common';

/** Whether the process has begun to shut down; readiness reads it, shutdown sets it. */
@Injectable()
export class LifecycleState {
  private shuttingDown = false;

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }
}
