import { Injectable } from '@nestjs/common';

/**
 * Process lifecycle as readiness sees it. `draining` flips the moment SIGTERM
 * arrives, so Kubernetes stops routing new traffic while in-flight requests finish.
 */
@Injectable()
export class LifecycleState {
  private isDraining = false;

  startDraining(): void {
    this.isDraining = true;
  }

  get draining(): boolean {
    return this.isDraining;
  }
}
