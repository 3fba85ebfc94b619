import { Injectable } from '@nestjs/common';

/**
 * Process lifecycle as readiness sees it. `draining` flips the moment SIGTERM
 * arrives, so Kubernetes stops routing new traffic while in-flight requests finish.
 */
@Injectable()
export class LifecycleState {
  private drainingSince: Date | null = null;

  startDraining(): void {
    this.drainingSince ??= new Date();
  }

  get draining(): boolean {
    return this.drainingSince !== null;
  }
}
