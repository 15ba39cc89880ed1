/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import { join } from 'node:path';
import yaml from 'yaml';
import { AUTHOR, TEMPLATE_URL, testRenderer } from '../__testUtils__/serviceRepo';
import { git } from '../lib/git';
import { createPavedTemplateAdoptAction } from './adoptTemplate';
import { examples } from './adoptTemplate.examples';

jest.setTimeout(120_000);

describe('paved:template:adopt', () => {
  const dir = createMockDirectory();
  afterEach(() => dir.clear());

  // A URL reader over a local folder, as FolderUrlReader serves file:// URLs in allowed folders.
  const reader = {
    readTree: jest.fn(async (url: string) => ({
      dir: async ({ targetDir }: { targetDir: string }) => {
        expect(url).toBe('file:///srv/checkouts/billing');
        await fs.promises.cp(dir.resolve('checkout'), targetDir!, { recursive: true });
        return targetDir;
      },
    })),
  } as any;

  const action = (authorize?: (owner: string, c: any) => Promise<void>) =>
    createPavedTemplateAdoptAction({
      gitDirectory: dir.resolve('git'),
      reader,
      renderer: testRenderer(),
      resolveTemplateUrl: async ref => {
        expect(ref).toBe('template:default/typescript-service');
        return TEMPLATE_URL;
      },
      getScaffolderBaseUrl: async () => 'http://localhost:7007/api/scaffolder',
      author: AUTHOR,
      authorize,
    });

  const context = (input: Record<string, unknown>, isDryRun = false) => {
    const ctx = createMockActionContext({ input: input as any, workspacePath: dir.resolve('ws') });
    (ctx as { isDryRun?: boolean }).isDryRun = isDryRun;
    let n = 0;
    ctx.createTemporaryDirectory = async () => {
      const tmp = dir.resolve(`tmp-${n++}`);
      await fs.promises.mkdir(tmp, { recursive: true });
      return tmp;
    };
    const checkpoints = new Map<string, unknown>();
    ctx.checkpoint = (async ({ key, fn }: { key: string; fn: () => Promise<unknown> }) => {
      if (!checkpoints.has(key)) checkpoints.set(key, await fn());
      return checkpoints.get(key);
    }) as any;
    return ctx;
  };

  function checkout() {
    dir.addContent({
      checkout: {
        'README.md': '# billing\n\nOur README.\n',
        Dockerfile: 'FROM node:20\n',
        src: { 'index.js': 'console.log(1);\n' },
      },
    });
  }

  it.each(examples.map(e => [e.description, e] as const))('example: %s', async (_d, example) => {
    checkout();
    const step = yaml.parse(example.example).steps[0];
    // Both examples run on imported code (the first one's repository would already be on the server).
    const input = {
      templateRef: 'template:default/typescript-service',
      autoMerge: false,
      ...step.input,
      sourceUrl: 'file:///srv/checkouts/billing',
    };
    const ctx = context(input);
    await action().handler(ctx);
    const gitdir = dir.resolve('git/billing.git');
    expect(ctx.output).toHaveBeenCalledWith('catalogInfoUrl', 'http://localhost:7007/api/scaffolder/paved-git/billing/raw/main/catalog-info.yaml');
    const branches = (await git(['branch', '--list'], { cwd: gitdir })).stdout;
    expect(branches).toContain(`paved/adopt/typescript-service-${step.input.version ?? '2.0.0'}`);
    // The repository's own files are still on main and on the branch.
    const branch = `paved/adopt/typescript-service-${step.input.version ?? '2.0.0'}`;
    for (const ref of ['main', branch]) {
      const ls = (await git(['ls-tree', '-r', '--name-only', ref], { cwd: gitdir })).stdout;
      for (const f of ['README.md', 'Dockerfile', 'src/index.js']) expect(ls).toContain(f);
    }
    // README and Dockerfile clash: a conflict, so nothing is merged even with autoMerge.
    expect(ctx.output).toHaveBeenCalledWith('merged', false);
    expect(ctx.output).toHaveBeenCalledWith(
      'conflicts',
      expect.arrayContaining([expect.objectContaining({ path: 'README.md' }), expect.objectContaining({ path: 'Dockerfile' })]),
    );
  });

  it('onboards a repository already on the embedded git server, and a dry run changes nothing', async () => {
    checkout();
    await action().handler(context({ repoName: 'billing', sourceUrl: 'file:///srv/checkouts/billing', templateRef: 'template:default/typescript-service', values: { name: 'billing', owner: 'group:default/orders-team' }, autoMerge: false }, false));
    const gitdir = dir.resolve('git/billing.git');
    await git(['branch', '-D', 'paved/adopt/typescript-service-2.0.0'], { cwd: gitdir });
    const dry = context({ repoName: 'billing', templateRef: 'template:default/typescript-service', values: { name: 'billing', owner: 'group:default/orders-team' } }, true);
    await action().handler(dry);
    expect(dry.output).toHaveBeenCalledWith('commit', '');
    expect(dry.output).toHaveBeenCalledWith('diff', expect.stringContaining('+++ b/.paved/template.json'));
    expect((await git(['branch', '--list'], { cwd: gitdir })).stdout.trim()).toBe('* main');
  });

  it('refuses unknown repositories and initiators outside the owning team', async () => {
    await expect(
      action().handler(context({ repoName: 'nope', templateRef: 'template:default/typescript-service', values: { name: 'nope', owner: 'group:default/x' } })),
    ).rejects.toThrow(/does not exist/);
    checkout();
    await expect(
      action(async owner => {
        throw new NotAllowedError(`not a member of ${owner}`);
      }).handler(context({ repoName: 'billing', sourceUrl: 'file:///srv/checkouts/billing', templateRef: 'template:default/typescript-service', values: { name: 'billing', owner: 'group:default/orders-team' } })),
    ).rejects.toThrow(NotAllowedError);
    expect(fs.existsSync(join(dir.path, 'git/billing.git'))).toBe(false);
  });
});
