/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { LocalGitRepositories, REPO_NAME_PATTERN } from '../git/LocalGitRepositories';
import { readArchiveState } from '../git/RepositoryState';
import { ScaffolderProvisioning } from '../service/provisioningClient';

/** Everything a retirement removes or archives. @internal */
export interface RetirementPlan {
  /** The component, `component:<ns>/<name>`. */
  entityRef: string;
  /** Its owning group. */
  owner: string;
  /** Its provisioned resources (only those whose `entityRef` is the component). */
  resources: Array<{ id: string; name: string; type: string; state: string; owner: string }>;
  /** Its repository on the embedded git server, if it has one. */
  repository?: { name: string; archived: boolean };
  /** The catalog location that registered it (`url:...`), removed so the entity does not come back. */
  location?: string;
}

/** The repository of an entity on the embedded git server: from its source location or its location. */
export function embeddedRepositoryOf(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  for (const value of [annotations[ANNOTATION_SOURCE_LOCATION], annotations[ANNOTATION_LOCATION]]) {
    const m = /\/paved-git\/([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)(?:\.git|\/(?:raw|blob|tree)\/)/.exec(value ?? '');
    if (m && REPO_NAME_PATTERN.test(m[1])) return m[1];
  }
  return undefined;
}

/**
 * Lists what retiring a component would remove: its provisioned resources (`GET /resources?entityRef=`,
 * filtered again on `entityRef` so that another component's resources can never be in the plan), its
 * catalog entity and location, and its repository on the embedded git server. Changes nothing.
 * @internal
 */
export async function planRetirement(options: {
  entityRef: string;
  catalog: CatalogService;
  provisioning: ScaffolderProvisioning;
  repositories: LocalGitRepositories;
  credentials: BackstageCredentials;
}): Promise<{ plan: RetirementPlan; entity: Entity }> {
  const { catalog, provisioning, repositories, credentials } = options;
  let entityRef: string;
  try {
    entityRef = stringifyEntityRef(
      parseEntityRef(options.entityRef, { defaultKind: 'component', defaultNamespace: 'default' }),
    );
  } catch {
    throw new InputError(`Invalid entity ref '${options.entityRef}'`);
  }
  if (!entityRef.startsWith('component:')) {
    throw new InputError(`Only components can be retired, not ${entityRef}`);
  }
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) {
    throw new NotFoundError(`${entityRef} is not in the catalog`);
  }
  const owner = stringifyEntityRef(
    parseEntityRef(String(entity.spec?.owner ?? ''), { defaultKind: 'group', defaultNamespace: 'default' }),
  );

  const resources: RetirementPlan['resources'] = [];
  let cursor: string | undefined;
  do {
    const page = await provisioning.listResources(
      { entityRef, limit: 100, cursor } as any,
      { credentials },
    );
    for (const r of page.items) {
      if (r.entityRef === entityRef && r.state !== 'deleted') {
        resources.push({ id: r.id, name: r.name, type: r.type, state: r.state, owner: r.owner });
      }
    }
    cursor = page.nextCursor;
  } while (cursor);

  const repoName = embeddedRepositoryOf(entity);
  let repository: RetirementPlan['repository'];
  if (repoName && (await repositories.exists(repoName))) {
    repository = {
      name: repoName,
      archived: (await readArchiveState(repositories.gitdir(repoName))).archived,
    };
  }
  return {
    entity,
    plan: {
      entityRef,
      owner,
      resources: resources.sort((a, b) => a.name.localeCompare(b.name)),
      repository,
      location: entity.metadata.annotations?.['backstage.io/managed-by-location'],
    },
  };
}

/** The plan as lines for a task log or a page; `done` describes a finished retirement. @internal */
export function describePlan(plan: RetirementPlan, options: { done?: boolean } = {}): string[] {
  const will = (future: string, past: string) => (options.done ? past : future);
  return [
    `Catalog entity ${plan.entityRef} (owner ${plan.owner}) ${will('will be unregistered', 'was unregistered')}${plan.location ? ` (location ${plan.location} removed)` : ''}`,
    ...(plan.resources.length
      ? plan.resources.map(
          r => `Resource ${r.type} '${r.name}' (id ${r.id}${options.done ? '' : `, ${r.state}`}) ${will('will be deleted', 'was deleted')}`,
        )
      : ['No provisioned resources belong to it']),
    plan.repository
      ? `Repository ${plan.repository.name} ${will('will be archived', 'was archived')} (kept read-only, pushes refused, not deleted)`
      : 'No repository on the embedded git server',
  ];
}
