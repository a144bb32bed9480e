// The parts of the ElectricSync spec that are Kubernetes-only (image, scheduling, Services, NetworkPolicy, deletion),
// written by hand, with the empty objects (database, auth, pgProxy) that crd-schema.ts fills with generated runtime
// settings.
import type { CelRule, JsonSchema } from './crd-schema.ts';
import { managedVariables } from './runtime-settings.ts';
import { deletionPolicies, imagePullPolicies, serviceTypes } from './types.ts';

const stringMap = (description: string): JsonSchema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string' },
});
const openObject = (description: string): JsonSchema => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});
const quantity: JsonSchema = {
  'x-kubernetes-int-or-string': true,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
};

/** The parts of the spec that are not runtime settings, with the objects the settings are placed into. */
export function specSkeleton(): JsonSchema {
  return {
    type: 'object',
    description: 'What the operator runs: one sync runtime (a Deployment of one pod) with its Services and configuration.',
    required: ['database'],
    properties: {
      image: {
        type: 'string',
        minLength: 1,
        description: "Runtime container image. When unset, the operator's default image (set at install time).",
      },
      imagePullPolicy: { type: 'string', enum: [...imagePullPolicies], description: 'Pull policy of the runtime image.' },
      imagePullSecrets: {
        type: 'array',
        description: 'Secrets for pulling the runtime image.',
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
      },
      database: {
        type: 'object',
        description: 'The PostgreSQL database the runtime replicates from and writes to.',
        required: ['urlSecretRef'],
        properties: {},
        'x-kubernetes-validations': [
          {
            rule: '!has(oldSelf.urlSecretRef) || (has(self.urlSecretRef) && self.urlSecretRef == oldSelf.urlSecretRef)',
            message:
              'spec.database.urlSecretRef is immutable once set: the replication slot and publication live in that ' +
              'database. Create a new ElectricSync to use another database.',
            fieldPath: '.urlSecretRef',
          },
        ] satisfies CelRule[],
      },
      auth: {
        type: 'object',
        description: 'How clients authenticate: signed JWTs (secure) or unsigned tokens (insecure, development only).',
        properties: {},
      },
      pgProxy: { type: 'object', description: 'The migrations proxy.', properties: {} },
      resources: {
        type: 'object',
        description: 'CPU and memory requests and limits of the runtime container.',
        properties: {
          limits: { type: 'object', additionalProperties: quantity },
          requests: { type: 'object', additionalProperties: quantity },
        },
      },
      nodeSelector: stringMap('Node labels the runtime pod must be scheduled on.'),
      tolerations: {
        type: 'array',
        description: 'Tolerations of the runtime pod.',
        items: {
          type: 'object',
          properties: {
            key: { type: 'string' },
            operator: { type: 'string', enum: ['Exists', 'Equal'] },
            value: { type: 'string' },
            effect: { type: 'string', enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
            tolerationSeconds: { type: 'integer', format: 'int64' },
          },
        },
      },
      affinity: openObject('Affinity of the runtime pod (core/v1 Affinity).'),
      podLabels: stringMap('Extra labels on the runtime pod.'),
      podAnnotations: stringMap('Extra annotations on the runtime pod.'),
      service: {
        type: 'object',
        default: {},
        description: 'The Service clients connect to (HTTP and the Satellite WebSocket).',
        properties: {
          type: { type: 'string', enum: [...serviceTypes], default: 'ClusterIP' },
          annotations: stringMap('Annotations on the HTTP Service.'),
        },
      },
      publisherService: {
        type: 'object',
        description: 'The Service PostgreSQL subscribes through (logical publisher); always ClusterIP.',
        properties: { annotations: stringMap('Annotations on the publisher Service.') },
      },
      extraEnv: {
        type: 'array',
        maxItems: 64,
        description: 'Extra environment variables of the runtime container. Variables the operator manages are refused.',
        items: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 128 },
            value: { type: 'string' },
            valueFrom: openObject('core/v1 EnvVarSource.'),
          },
        },
        'x-kubernetes-validations': [extraEnvRule()],
      },
      networkPolicy: {
        type: 'object',
        default: {},
        description:
          'A NetworkPolicy for the runtime pod: the HTTP port stays open, the publisher port only admits databasePeers.',
        properties: {
          enabled: { type: 'boolean', default: false },
          databasePeers: {
            type: 'array',
            description: 'Who may reach the publisher port: the database (core/v1 NetworkPolicyPeer).',
            items: openObject('networking/v1 NetworkPolicyPeer.'),
          },
        },
      },
      deletionPolicy: {
        type: 'string',
        enum: [...deletionPolicies],
        default: 'Delete',
        description:
          'On deletion, Delete drops the Postgres subscription, replication slot and publication before the resource ' +
          'goes (a slot left behind keeps WAL and fills the disk); Retain keeps them.',
      },
    },
    'x-kubernetes-validations': [
      {
        // Not `required`, for a message that says what to write. Not defaulted: a default must pass the rules below,
        // and secure mode (the runtime's default) cannot without a key.
        rule: 'has(self.auth)',
        message:
          'spec.auth is required: secure mode (the default) needs spec.auth.jwtAlgorithm and spec.auth.jwtKeySecretRef; ' +
          'spec.auth.mode: insecure accepts unsigned tokens, for development only',
        reason: 'FieldValueRequired',
      },
      {
        rule: 'self.httpPort != self.logicalPublisherPort',
        message: 'spec.httpPort and spec.logicalPublisherPort must differ',
        fieldPath: '.logicalPublisherPort',
      },
    ] satisfies CelRule[],
  };
}

function extraEnvRule(): CelRule {
  const list = `[${managedVariables.map((name) => `'${name}'`).join(', ')}]`;
  // A static message: a messageExpression that names the offending variables costs too much for the CEL budget.
  return {
    rule: `self.all(e, !(e.name in ${list}))`,
    message:
      `spec.extraEnv must not set a variable the operator manages (${managedVariables.join(', ')}): ` +
      'use the matching spec field instead',
  };
}

