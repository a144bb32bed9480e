// The ElectricSync controller: watches, the reconcile steps, status, deletion. See electric-sync-controller.ts for the
// order of the steps; each lives in a sibling file.
export { ElectricSyncController, type ControllerOptions } from './electric-sync-controller.ts';
export { DatabaseHealthChecker } from './database-health.ts';
export type { ControllerSettings, Caches } from './context.ts';
export { computeStatus, rolloutOf } from './electric-sync-status.ts';
