/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { LocalGitRepositories } from './LocalGitRepositories';
import { PavedGitUrlReader } from './PavedGitUrlReader';

const BASE = 'http://localhost:7007/api/scaffolder/paved-git';

function hasGitCli(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('PavedGitUrlReader', () => {
  const dir = createMockDirectory();
  let reader: UrlReaderService;
  let commit: string;

  beforeAll(async () => {
    dir.setContent({
      workspace: {
        'catalog-info.yaml':
          'kind: Component\nmetadata:\n  name: invoice-api\n',
        'mkdocs.yml': 'site_name: invoice-api\n',
        docs: {
          'index.md': '# Invoice API\n',
          'runbook.md': '# Runbook\n',
          img: { 'diagram.svg': '<svg/>' },
        },
        services: {
          billing: {
            'catalog-info.yaml':
              'kind: Component\nmetadata:\n  name: billing\n',
          },
        },
      },
    });
    ({ commit } = await LocalGitRepositories.create({
      directory: dir.resolve('git'),
    }).publish({
      name: 'invoice-api',
      sourceDir: dir.resolve('workspace'),
      branch: 'main',
      taskId: 't1',
      author: { name: 'a', email: 'a@example.com' },
      message: 'first',
    }));
    // The reader as every plugin gets it: Backstage's reader mux with this factory ahead of the defaults.
    reader = UrlReaders.default({
      config: mockServices.rootConfig({
        data: {
          scaffolder: { paved: { git: { directory: dir.resolve('git') } } },
        },
      }),
      logger: mockServices.logger.mock(),
      factories: [
        PavedGitUrlReader.factory({
          scaffolderBaseUrls: ['http://localhost:7007/api/scaffolder'],
        }),
      ],
    });
  });

  it('is a real bare repository that the git CLI can clone', () => {
    if (!hasGitCli()) {
      return;
    }
    const out = execFileSync(
      'git',
      [
        '--git-dir',
        dir.resolve('git/invoice-api.git'),
        'ls-tree',
        '-r',
        '--name-only',
        'main',
      ],
      { encoding: 'utf8' },
    );
    expect(out.split('\n')).toContain('docs/img/diagram.svg');
  });

  it('reads a file, with the commit as etag, and answers NotModified for that etag', async () => {
    const res = await reader.readUrl(
      `${BASE}/invoice-api/raw/main/catalog-info.yaml`,
    );
    expect((await res.buffer()).toString()).toContain('name: invoice-api');
    expect(res.etag).toBe(commit);
    await expect(
      reader.readUrl(`${BASE}/invoice-api/raw/main/catalog-info.yaml`, {
        etag: commit,
      }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('reads the whole tree (TechDocs dir:.) into a directory', async () => {
    const tree = await reader.readTree(`${BASE}/invoice-api/raw/main/`);
    expect(tree.etag).toBe(commit);
    const target = await tree.dir({ targetDir: dir.resolve('out') });
    expect(fs.readFileSync(join(target, 'docs/index.md'), 'utf8')).toBe(
      '# Invoice API\n',
    );
    expect(fs.readFileSync(join(target, 'docs/img/diagram.svg'), 'utf8')).toBe(
      '<svg/>',
    );
    expect(fs.existsSync(join(target, 'mkdocs.yml'))).toBe(true);
  });

  it('reads a subtree with paths relative to it, honouring the filter', async () => {
    const tree = await reader.readTree(
      `${BASE}/invoice-api/tree/${commit}/docs`,
      {
        filter: path => !path.endsWith('.svg'),
      },
    );
    const files = await tree.files();
    expect(files.map(f => f.path).sort()).toEqual(['index.md', 'runbook.md']);
    expect(
      (await files.find(f => f.path === 'runbook.md')!.content()).toString(),
    ).toBe('# Runbook\n');
    await expect(
      reader.readTree(`${BASE}/invoice-api/raw/main/`, { etag: commit }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('searches with a glob and returns readable URLs of the matches', async () => {
    const res = await reader.search(
      `${BASE}/invoice-api/raw/main/**/catalog-info.yaml`,
    );
    expect(res.etag).toBe(commit);
    expect(res.files.map(f => f.url).sort()).toEqual([
      `${BASE}/invoice-api/raw/main/catalog-info.yaml`,
      `${BASE}/invoice-api/raw/main/services/billing/catalog-info.yaml`,
    ]);
    const billing = res.files.find(f => f.url.includes('billing'))!;
    expect((await billing.content()).toString()).toContain('name: billing');
    // Each match reads back through the same reader.
    const again = await reader.readUrl(billing.url);
    expect((await again.buffer()).toString()).toContain('name: billing');

    const none = await reader.search(`${BASE}/invoice-api/raw/main/**/*.json`);
    expect(none.files).toEqual([]);
  });

  it.each([
    [`${BASE}/nope/raw/main/catalog-info.yaml`, 'NotFoundError'],
    [`${BASE}/invoice-api/raw/other/catalog-info.yaml`, 'NotFoundError'],
    [`${BASE}/invoice-api/raw/main/missing.yaml`, 'NotFoundError'],
    [`${BASE}/Invalid_Name/raw/main/catalog-info.yaml`, 'InputError'],
    [`${BASE}/invoice-api/raw/main/.git/config`, 'InputError'],
    [`${BASE}/invoice-api/raw/main/..%2F..%2Fetc/passwd`, 'InputError'],
    [`${BASE}/..%2F..%2Fetc/raw/main/passwd`, 'InputError'],
    [`${BASE}/invoice-api/zip/main/catalog-info.yaml`, 'InputError'],
  ])('rejects %s with %s', async (url, name) => {
    await expect(reader.readUrl(url)).rejects.toMatchObject({ name });
  });

  it('leaves other URLs to the other readers', async () => {
    await expect(
      reader.readUrl('http://localhost:7007/api/catalog/entities'),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      reader.readTree(
        'http://elsewhere:7007/api/scaffolder/paved-git/invoice-api/raw/main/',
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });
});
