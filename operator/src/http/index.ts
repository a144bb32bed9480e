// The operator's HTTP endpoint: /metrics, /healthz, /readyz. No Kubernetes or reconcile logic here.
export { startHealthServer, type Check, type HealthServer, type HealthServerOptions } from './health-server.ts';
