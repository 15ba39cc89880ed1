/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  BackstageCredentials,
  resolveSafeChildPath,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Renderer } from '../lib/render';
import { REPO_NAME_PATTERN, upgradeRepository } from '../lib/upgrade';

/**
 * Registers the upgrade in Backstage's actions registry (for agents through MCP and for other
 * plugins): `preview-template-upgrade` (read-only: the diff and conflicts an upgrade would have) and
 * `open-template-upgrade` (pushes the upgrade branch; owners of the component only).
 * @internal
 */
export function registerUpgradeActions(options: {
  actionsRegistry: ActionsRegistryService;
  catalog: CatalogService;
  userInfo: UserInfoService;
  gitDirectory: string;
  renderer: Renderer;
  resolveTemplateUrl: (templateRef: string, credentials: BackstageCredentials) => Promise<string>;
  testTimeoutMs: number;
  author: { name: string; email: string };
}) {
  const { actionsRegistry, catalog, userInfo } = options;

  const run = async (
    repoName: string,
    targetVersion: string | undefined,
    dryRun: boolean,
    credentials: BackstageCredentials,
    logger: any,
  ) => {
    const component = await catalog.getEntityByRef(
      { kind: 'Component', namespace: 'default', name: repoName },
      { credentials },
    );
    if (!component) {
      throw new NotFoundError(`Component ${repoName} is not in the catalog`);
    }
    if (!dryRun) {
      const owner = String(component.spec?.owner ?? '');
      const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
      const ownerRef = owner.includes(':') ? owner : `group:default/${owner}`;
      if (!ownershipEntityRefs.includes(ownerRef)) {
        throw new NotAllowedError(
          `Only the owners of ${stringifyEntityRef(component)} (${ownerRef}) may open its upgrade`,
        );
      }
    }
    const workDir = await fs.promises.mkdtemp(join(os.tmpdir(), 'paved-upgrade-'));
    try {
      const result = await upgradeRepository({
        gitdir: resolveSafeChildPath(options.gitDirectory, `${repoName}.git`),
        workDir,
        renderer: options.renderer,
        resolveTemplateUrl: ref => options.resolveTemplateUrl(ref, credentials),
        logger,
        targetVersion,
        dryRun,
        runTests: !dryRun,
        testTimeoutMs: options.testTimeoutMs,
        author: options.author,
      });
      return {
        output: {
          upToDate: result.upToDate,
          fromVersion: result.fromVersion,
          toVersion: result.toVersion,
          branch: result.branch,
          conflicts: result.report.conflicts,
          mergeable: result.mergeable,
          diff: result.diff,
        },
      };
    } finally {
      await fs.promises.rm(workDir, { recursive: true, force: true });
    }
  };

  const schema = {
    input: (z: any) =>
      z.object({
        repoName: z
          .string()
          .regex(REPO_NAME_PATTERN)
          .describe('Name of the component and of its repository on the embedded git server'),
        targetVersion: z
          .string()
          .regex(/^\d+\.\d+\.\d+$/)
          .optional()
          .describe('Template version to upgrade to (default: the newest)'),
      }),
    output: (z: any) =>
      z.object({
        upToDate: z.boolean().describe('The component already is on the target version'),
        fromVersion: z.string().describe('Template version the component is on'),
        toVersion: z.string().describe('Template version of the upgrade'),
        branch: z.string().describe('The upgrade branch'),
        conflicts: z
          .array(z.object({ path: z.string(), reason: z.string() }))
          .describe('Files that would have (or have) conflicts'),
        mergeable: z.boolean().describe('No conflicts (and, when opened, the tests passed)'),
        diff: z.string().describe('Unified diff of the upgrade'),
      }),
  };

  actionsRegistry.register({
    name: 'preview-template-upgrade',
    title: 'Preview the template upgrade of a service',
    description:
      'Shows what upgrading a service made from a versioned golden path to a newer template version would change: the unified diff (3-way merge, keeping local changes) and the files that would conflict. Changes nothing.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema,
    action: async ({ input, credentials, logger }) =>
      run(input.repoName, input.targetVersion, true, credentials, logger),
  });
  actionsRegistry.register({
    name: 'open-template-upgrade',
    title: 'Open the template upgrade of a service',
    description:
      "Upgrades a service made from a versioned golden path to a newer template version as the branch paved/upgrade/<template>-<version> of its repository (its default branch is not touched), after running the service's tests. Owners of the component only.",
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema,
    action: async ({ input, credentials, logger }) =>
      run(input.repoName, input.targetVersion, false, credentials, logger),
  });
}
