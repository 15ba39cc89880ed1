/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import git from 'isomorphic-git';
import fs from 'node:fs';
import yaml from 'yaml';
import { mockContext } from '../__testUtils__/fakeProvisioning';
import { LocalGitRepositories } from '../git/LocalGitRepositories';
import { createPublishPavedGitAction } from './publishLocalGit';
import { examples } from './publishLocalGit.examples';

describe('publish:paved-git examples', () => {
  const dir = createMockDirectory();

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      dir.clear();
      dir.setContent({
        workspace: {
          'catalog-info.yaml': 'kind: Component\n',
          service: { 'catalog-info.yaml': 'kind: Component\n' },
        },
      });
      const action = createPublishPavedGitAction({
        repositories: LocalGitRepositories.create({
          directory: dir.resolve('git'),
        }),
        getScaffolderBaseUrl: async () =>
          'http://localhost:7007/api/scaffolder',
        defaultBranch: 'main',
        defaultAuthor: { name: 'Scaffolder', email: 'scaffolder@example.com' },
        defaultCommitMessage: 'Initial commit',
      });
      const step = yaml.parse(example.example).steps[0];
      const input = {
        ...step.input,
        repoName: step.input.repoName.includes('${{')
          ? 'invoice-api'
          : step.input.repoName,
      };
      await action.handler(
        mockContext({ input, workspacePath: dir.resolve('workspace') }),
      );
      const files = await git.listFiles({
        fs,
        gitdir: dir.resolve(`git/${input.repoName}.git`),
        ref: 'main',
      });
      expect(files).toContain('catalog-info.yaml');
    },
  );
});
