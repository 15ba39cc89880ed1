/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import git from 'isomorphic-git';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { mockContext } from '../__testUtils__/fakeProvisioning';
import { LocalGitRepositories } from '../git/LocalGitRepositories';
import { createPublishPavedGitAction } from './publishLocalGit';

function hasGitBinary() {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('publish:paved-git', () => {
  const dir = createMockDirectory();
  let repositories: LocalGitRepositories;
  let action: ReturnType<typeof createPublishPavedGitAction>;

  beforeEach(() => {
    dir.clear();
    dir.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        'src/index.js': 'console.log("hi");\n',
        docs: { 'index.md': '# Docs\n' },
      },
    });
    repositories = LocalGitRepositories.create({
      directory: dir.resolve('git'),
    });
    action = createPublishPavedGitAction({
      repositories,
      getScaffolderBaseUrl: async () => 'http://localhost:7007/api/scaffolder',
      defaultBranch: 'main',
      defaultAuthor: { name: 'Scaffolder', email: 'scaffolder@example.com' },
      defaultCommitMessage: 'Initial commit',
    });
  });

  const ctxFor = (input: Record<string, unknown>, extra = {}) =>
    mockContext({
      input,
      workspacePath: dir.resolve('workspace'),
      task: { id: 'task-1' },
      ...extra,
    });

  it('publishes the workspace as a bare repository and outputs its URLs', async () => {
    const ctx = ctxFor({ repoName: 'invoice-api' });
    await action.handler(ctx);

    const gitdir = dir.resolve('git/invoice-api.git');
    expect(await git.listFiles({ fs, gitdir, ref: 'main' })).toEqual([
      'catalog-info.yaml',
      'docs/index.md',
      'src/index.js',
    ]);
    const [log] = await git.log({ fs, gitdir, ref: 'main' });
    expect(log.commit.message).toBe('Initial commit\n');
    expect(log.commit.author.email).toBe('scaffolder@example.com');
    expect(fs.existsSync(join(gitdir, 'index'))).toBe(false);

    expect(ctx.output).toHaveBeenCalledWith('commitHash', log.oid);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      `file://${gitdir}`,
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'repoContentsUrl',
      'http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      'http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/catalog-info.yaml',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'cloneUrl',
      'http://localhost:7007/api/scaffolder/paved-git/invoice-api.git',
    );
  });

  it('is clonable with plain git clone (when a git binary is installed)', async () => {
      if (!hasGitBinary()) {
        return;
      }
      await action.handler(ctxFor({ repoName: 'invoice-api' }));
      const target = dir.resolve('clone');
      execFileSync(
        'git',
        ['clone', '--quiet', dir.resolve('git/invoice-api.git'), target],
        { stdio: 'ignore' },
      );
      expect(
        fs.readFileSync(join(target, 'src/index.js'), 'utf8'),
      ).toContain('hi');
      expect(
        execFileSync('git', ['-C', target, 'status', '--porcelain'], {
          encoding: 'utf8',
        }),
      ).toBe('');
  });

  it('replaces a repository an earlier attempt of the same task created, but not another one', async () => {
    await action.handler(ctxFor({ repoName: 'invoice-api' }));
    await action.handler(ctxFor({ repoName: 'invoice-api' }));
    expect(
      await git.listFiles({
        fs,
        gitdir: dir.resolve('git/invoice-api.git'),
        ref: 'main',
      }),
    ).toHaveLength(3);

    await expect(
      action.handler(
        ctxFor({ repoName: 'invoice-api' }, { task: { id: 'task-2' } }),
      ),
    ).rejects.toThrow("A repository named 'invoice-api' already exists");
  });

  it('publishes a subdirectory and refuses paths outside the workspace', async () => {
    const ctx = ctxFor({ repoName: 'docs-only', sourcePath: 'docs' });
    await action.handler(ctx);
    expect(
      await git.listFiles({
        fs,
        gitdir: dir.resolve('git/docs-only.git'),
        ref: 'main',
      }),
    ).toEqual(['index.md']);

    await expect(
      action.handler(ctxFor({ repoName: 'evil', sourcePath: '../..' })),
    ).rejects.toThrow(/outside/);
  });

  it('rejects a repository name that is not a DNS label', async () => {
    for (const repoName of ['../evil', 'Invoice', 'a'.repeat(64), '-x']) {
      await expect(action.handler(ctxFor({ repoName }))).rejects.toThrow(
        /Invalid repository name/,
      );
    }
    expect(fs.existsSync(dir.resolve('git'))).toBe(false);
  });

  it('writes nothing in a dry run', async () => {
    const ctx = ctxFor({ repoName: 'invoice-api' }, { isDryRun: true });
    await action.handler(ctx);
    expect(fs.existsSync(dir.resolve('git'))).toBe(false);
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      'http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/catalog-info.yaml',
    );
  });
});
