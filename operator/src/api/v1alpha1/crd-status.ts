// The ElectricSync status schema: metav1.Condition-shaped conditions (a map keyed by type), phase, publisher host,
// client URL, configuration checksum.
import type { JsonSchema } from './crd-schema.ts';
import { phases } from './types.ts';

export function conditionSchema(): JsonSchema {
  return {
    type: 'object',
    required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
    properties: {
      type: { type: 'string', maxLength: 316 },
      status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
      observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
      lastTransitionTime: { type: 'string', format: 'date-time' },
      reason: { type: 'string', maxLength: 1024, minLength: 1 },
      message: { type: 'string', maxLength: 32768 },
    },
  };
}

export function electricSyncStatusSchema(): JsonSchema {
  return {
    type: 'object',
    description: 'What the operator observed, as of status.observedGeneration.',
    properties: {
      observedGeneration: { type: 'integer', format: 'int64', description: 'The metadata.generation last reconciled.' },
      phase: { type: 'string', enum: [...phases], description: 'One-word summary; see the conditions for details.' },
      conditions: {
        type: 'array',
        description: 'Ready, Progressing and Degraded, with reasons.',
        items: conditionSchema(),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      },
      publisherHost: { type: 'string', description: "The publisher Service's DNS name (LOGICAL_PUBLISHER_HOST)." },
      clientUrl: { type: 'string', description: 'Where clients connect: the HTTP Service.' },
      configChecksum: { type: 'string', description: 'Checksum of the configuration the pods run with.' },
    },
  };
}

