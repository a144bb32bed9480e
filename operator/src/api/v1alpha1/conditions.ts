// Condition types and reasons of ElectricSync status. Reasons are CamelCase and stable: tools and alerts match on them.

export const conditionTypes = {
  /** The runtime is available with the current configuration. */
  Ready: 'Ready',
  /** A rollout of the current configuration is under way. */
  Progressing: 'Progressing',
  /** Something needs attention: the reason says what. */
  Degraded: 'Degraded',
} as const;
export type ConditionType = (typeof conditionTypes)[keyof typeof conditionTypes];

export const reasons = {
  // Ready / Progressing
  Available: 'Available',
  RollingOut: 'RollingOut',
  RolloutComplete: 'RolloutComplete',
  DeploymentUnavailable: 'DeploymentUnavailable',
  Reconciling: 'Reconciling',
  // Degraded=False
  AsExpected: 'AsExpected',
  // Prerequisites
  SecretNotFound: 'SecretNotFound',
  SecretKeyNotFound: 'SecretKeyNotFound',
  InvalidDatabaseUrl: 'InvalidDatabaseUrl',
  // Runtime
  DatabaseUnreachable: 'DatabaseUnreachable',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  // Operator
  OwnershipConflict: 'OwnershipConflict',
  ReconcileError: 'ReconcileError',
  // Deletion
  Deleting: 'Deleting',
  CleanupFailed: 'CleanupFailed',
} as const;
export type Reason = (typeof reasons)[keyof typeof reasons];

/** Reasons that mean "a prerequisite is missing": phase Pending, retried on a timer and on Secret events. */
export const prerequisiteReasons: readonly Reason[] = [reasons.SecretNotFound, reasons.SecretKeyNotFound, reasons.InvalidDatabaseUrl];
