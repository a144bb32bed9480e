// Bringing the children in line with the desired objects, in a fixed order: configuration first (so a new pod reads
// the new values), then the Services, the NetworkPolicy, and the Deployment last. Each child is applied (server-side
// apply, one field manager) only when what we built differs from what we last applied, judged by the applied-hash
// annotation, or when someone else changed it since our last apply (drift: a Deployment's generation, another
// object's resourceVersion moved on), so a resync of an unchanged resource sends no request. A child that exists but
// belongs to someone else stops the whole step: the operator reports it and never takes the object over.
import { reasons, type ElectricSync } from '../api/v1alpha1/index.ts';
import { isNotFound } from '../k8s/errors.ts';
import { isOwnedBy } from '../k8s/ownership.ts';
import { objectPath, resourceTypeOfKind } from '../k8s/resources.ts';
import type { Deployment, KubeObject } from '../k8s/types.ts';
import { annotationKeys, type DesiredObjects } from '../specs/index.ts';
import type { ControllerContext } from './context.ts';
import type { ObservedChildren } from './electric-sync-resources.ts';
import type { Problem } from './electric-sync-status.ts';

export interface UpdateResult {
  /** "Kind/name" of each object written. */
  readonly applied: string[];
  /** The Deployment as the API server returned it after the apply, or as observed. */
  readonly deployment: Deployment | undefined;
  readonly conflict: Problem | undefined;
}

function pathOf(object: KubeObject): string {
  const type = resourceTypeOfKind(object.kind ?? '');
  const { namespace, name } = object.metadata ?? {};
  if (!type || !namespace || !name) throw new Error(`cannot address ${object.kind} ${namespace}/${name}`);
  return objectPath(type, namespace, name);
}

/** What we last wrote to each child, per ElectricSync: the version marker the API server returned for our apply. */
export class AppliedVersions {
  readonly #markers = new Map<string, Map<string, string>>();

  /** A Deployment's generation (its status changes all the time); any other object's resourceVersion. */
  static markerOf(object: KubeObject): string {
    return object.kind === 'Deployment' ? `g${object.metadata?.generation ?? ''}` : `v${object.metadata?.resourceVersion ?? ''}`;
  }

  record(owner: string, path: string, written: KubeObject): void {
    let paths = this.#markers.get(owner);
    if (!paths) this.#markers.set(owner, (paths = new Map()));
    paths.set(path, AppliedVersions.markerOf(written));
  }

  /** True when we wrote this object and it has changed since (unknown after a restart: then false). */
  drifted(owner: string, path: string, observed: KubeObject): boolean {
    const marker = this.#markers.get(owner)?.get(path);
    return marker !== undefined && marker !== AppliedVersions.markerOf(observed);
  }

  forget(owner: string): void {
    this.#markers.delete(owner);
  }
}

export function needsApply(desired: KubeObject, observed: KubeObject | undefined, drifted: boolean): boolean {
  const want = desired.metadata?.annotations?.[annotationKeys.appliedHash];
  return !observed || drifted || observed.metadata?.annotations?.[annotationKeys.appliedHash] !== want;
}

export async function updateOwnedObjects(
  ctx: ControllerContext,
  es: ElectricSync,
  desired: DesiredObjects,
  observed: ObservedChildren,
  options: { readonly includeDeployment: boolean },
): Promise<UpdateResult> {
  const uid = es.metadata.uid ?? '';
  const pairs: [KubeObject, KubeObject | undefined][] = [
    [desired.envSecret, observed.envSecret],
    [desired.publisherAuthSecret, observed.publisherAuthSecret],
    [desired.httpService, observed.httpService],
    [desired.publisherService, observed.publisherService],
  ];
  if (desired.networkPolicy) pairs.push([desired.networkPolicy, observed.networkPolicy]);
  if (options.includeDeployment) pairs.push([desired.deployment, observed.deployment]);

  for (const [want, have] of pairs) {
    if (have && !isOwnedBy(have, uid)) {
      return {
        applied: [],
        deployment: observed.deployment,
        conflict: {
          reason: reasons.OwnershipConflict,
          message:
            `${have.kind ?? want.kind} "${have.metadata?.name}" already exists and is not owned by this ElectricSync; ` +
            'rename or delete it, and the operator will create its own',
        },
      };
    }
  }

  const applied: string[] = [];
  let deployment = observed.deployment;
  for (const [want, have] of pairs) {
    const path = pathOf(want);
    const owner = `${es.metadata.namespace}/${es.metadata.name}`;
    const kindOf = (object: KubeObject): KubeObject => ({ ...object, kind: want.kind });
    if (!needsApply(want, have, have !== undefined && ctx.applied.drifted(owner, path, kindOf(have)))) continue;
    const result = await ctx.client.apply(path, want, ctx.settings.fieldManager);
    ctx.applied.record(owner, path, kindOf(result));
    applied.push(`${want.kind}/${want.metadata?.name}`);
    if (want.kind === 'Deployment') deployment = result as Deployment;
  }
  // A NetworkPolicy that is no longer asked for goes away.
  if (!desired.networkPolicy && observed.networkPolicy && isOwnedBy(observed.networkPolicy, uid)) {
    try {
      await ctx.client.delete(pathOf({ ...observed.networkPolicy, kind: 'NetworkPolicy' }), { preconditionUid: observed.networkPolicy.metadata?.uid });
      applied.push(`NetworkPolicy/${observed.networkPolicy.metadata?.name} (deleted)`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return { applied, deployment, conflict: undefined };
}
