/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import yaml from 'yaml';
import {
  AUTHOR,
  commitAll,
  createServiceRepo,
  edit,
  TEMPLATE_URL,
  testRenderer,
} from '../__testUtils__/serviceRepo';
import { git } from '../lib/git';
import { createPavedTemplateUpgradeAction } from './upgradeTemplate';
import { examples } from './upgradeTemplate.examples';

jest.setTimeout(120_000);

describe('paved:template:upgrade', () => {
  const dir = createMockDirectory();
  afterEach(() => dir.clear());

  const action = () =>
    createPavedTemplateUpgradeAction({
      gitDirectory: dir.resolve('git'),
      renderer: testRenderer(),
      resolveTemplateUrl: async () => TEMPLATE_URL,
      testTimeoutMs: 60_000,
      author: AUTHOR,
    });
  const context = (input: Record<string, unknown>, isDryRun = false) => {
    const ctx = createMockActionContext({
      input: { runTests: true, ...input } as any,
      workspacePath: dir.resolve('workspace'),
    });
    (ctx as { isDryRun?: boolean }).isDryRun = isDryRun;
    let n = 0;
    ctx.createTemporaryDirectory = async () => {
      const tmp = dir.resolve(`tmp-${n++}`);
      await fs.promises.mkdir(tmp, { recursive: true });
      return tmp;
    };
    return ctx;
  };

  it('dry run: logs and outputs the diff, pushes nothing', async () => {
    const { gitdir } = await createServiceRepo({ root: dir.path, version: '1.0.0' });
    const ctx = context({ repoName: 'invoice-api' }, true);
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('toVersion', '2.0.0');
    expect(ctx.output).toHaveBeenCalledWith('commit', '');
    expect(ctx.output).toHaveBeenCalledWith('diff', expect.stringContaining('+++ b/src/metrics.ts'));
    expect(ctx.output).toHaveBeenCalledWith('mergeable', true);
    expect((await git(['branch', '--list'], { cwd: gitdir })).stdout.trim()).toBe('* main');
  });

  it('pushes the upgrade branch through a checkpoint and lists conflicts', async () => {
    const { gitdir, clone } = await createServiceRepo({ root: dir.path, version: '1.0.0' });
    await edit(clone, 'Dockerfile', 'PORT=8080', 'PORT=9000');
    await commitAll(clone, 'Port 9000');
    await git(['push', '--quiet', 'origin', 'main'], { cwd: clone });
    const ctx = context({ repoName: 'invoice-api' });
    const checkpoint = jest.spyOn(ctx, 'checkpoint');
    await action().handler(ctx);
    expect(checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({ key: 'paved.template.upgrade.invoice-api.newest' }),
    );
    expect(ctx.output).toHaveBeenCalledWith('branch', 'paved/upgrade/typescript-service-2.0.0');
    expect(ctx.output).toHaveBeenCalledWith('conflicts', [
      { path: 'Dockerfile', reason: expect.stringContaining('conflict markers') },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('mergeable', false);
    const branches = (await git(['branch', '--list'], { cwd: gitdir })).stdout;
    expect(branches).toContain('paved/upgrade/typescript-service-2.0.0');
  });

  it('rejects a repository name that could leave the git directory', async () => {
    await expect(action().handler(context({ repoName: '../etc' }))).rejects.toThrow(/Invalid repository name/);
  });

  it.each(examples.map(e => [e.description, e] as const))('example: %s', async (_d, example) => {
    await createServiceRepo({ root: dir.path, version: '1.0.0' });
    const step = yaml.parse(example.example).steps[0];
    const ctx = context(step.input);
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('fromVersion', '1.0.0');
    expect(ctx.output).toHaveBeenCalledWith('mergeable', true);
  });
});
