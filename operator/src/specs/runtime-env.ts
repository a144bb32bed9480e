// The runtime's environment for one ElectricSync: plain settings (they go into the env Secret) and settings read
// from Secrets (they become secretKeyRef env vars, so the values never pass through the operator's objects).
import {
  publisherPasswordVariable,
  settingEntries,
  valueAt,
  type ElectricSync,
  type SecretKeyRef,
} from '../api/v1alpha1/index.ts';

export interface SecretEnv {
  readonly variable: string;
  readonly ref: SecretKeyRef;
  /** Which spec field named the Secret, for messages. */
  readonly field: string;
}

export interface RuntimeEnv {
  /** Name → value, for the env Secret, in the order of runtime-settings.ts. */
  readonly plain: Readonly<Record<string, string>>;
  /** Secret keys the runtime reads, in the order of runtime-settings.ts, then the publisher password. */
  readonly fromSecrets: readonly SecretEnv[];
}

function envString(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** The user's Secret references (not the operator's own publisher password Secret). */
export function referencedSecrets(es: ElectricSync): SecretEnv[] {
  const out: SecretEnv[] = [];
  for (const [variable, setting] of settingEntries) {
    if (setting.from !== 'secret') continue;
    const ref = valueAt(es.spec, setting.path) as Partial<SecretKeyRef> | undefined;
    if (!ref?.name) continue;
    out.push({ variable, ref: { name: ref.name, key: ref.key ?? setting.defaultKey }, field: `spec.${setting.path.join('.')}` });
  }
  return out;
}

export function buildRuntimeEnv(
  es: ElectricSync,
  publisher: { readonly host: string; readonly passwordSecretName: string },
): RuntimeEnv {
  const plain: Record<string, string> = {};
  for (const [variable, setting] of settingEntries) {
    if (setting.from === 'field') {
      const value = valueAt(es.spec, setting.path);
      if (value !== undefined && value !== null) plain[variable] = envString(value);
    } else if (setting.from === 'operator' && variable === 'LOGICAL_PUBLISHER_HOST') {
      plain[variable] = publisher.host;
    }
  }
  const fromSecrets: SecretEnv[] = [
    ...referencedSecrets(es),
    {
      variable: publisherPasswordVariable,
      ref: { name: publisher.passwordSecretName, key: 'password' },
      field: 'generated publisher password',
    },
  ];
  return { plain, fromSecrets };
}
