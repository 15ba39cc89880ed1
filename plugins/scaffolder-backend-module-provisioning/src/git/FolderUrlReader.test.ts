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
import fs from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FolderUrlReader } from './FolderUrlReader';

describe('FolderUrlReader', () => {
  const dir = createMockDirectory();
  let reader: UrlReaderService;
  const url = (p: string) => pathToFileURL(dir.resolve(p)).href;

  beforeAll(() => {
    dir.setContent({
      repos: {
        'my-service': {
          'catalog-info.yaml':
            'kind: Component\nmetadata:\n  name: my-service\n',
          'mkdocs.yml': 'site_name: my-service\n',
          docs: { 'index.md': '# My service\n' },
          node_modules: { x: { 'catalog-info.yaml': 'no' } },
          '.git': { config: '[core]' },
        },
      },
      secret: { 'key.txt': 'secret' },
    });
    fs.symlinkSync(
      dir.resolve('secret'),
      dir.resolve('repos/my-service/escape'),
    );
    reader = UrlReaders.default({
      config: mockServices.rootConfig({
        data: { paved: { reading: { folders: [dir.resolve('repos')] } } },
      }),
      logger: mockServices.logger.mock(),
      factories: [FolderUrlReader.factory],
    });
  });

  it('reads a file inside the folder, with NotModified for its etag', async () => {
    const res = await reader.readUrl(url('repos/my-service/catalog-info.yaml'));
    expect((await res.buffer()).toString()).toContain('name: my-service');
    await expect(
      reader.readUrl(url('repos/my-service/catalog-info.yaml'), {
        etag: res.etag,
      }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('reads a tree without .git and node_modules', async () => {
    const tree = await reader.readTree(url('repos/my-service/'));
    const target = await tree.dir({ targetDir: dir.resolve('out') });
    expect(fs.readFileSync(join(target, 'docs/index.md'), 'utf8')).toBe(
      '# My service\n',
    );
    expect(fs.existsSync(join(target, 'node_modules'))).toBe(false);
    expect(fs.existsSync(join(target, '.git'))).toBe(false);
    expect(fs.existsSync(join(target, 'escape'))).toBe(false);
    await expect(
      reader.readTree(url('repos/my-service/'), { etag: tree.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('searches with a glob', async () => {
    const res = await reader.search(url('repos/**/catalog-info.yaml'));
    expect(res.files.map(f => f.url)).toEqual([
      url('repos/my-service/catalog-info.yaml'),
    ]);
  });

  it('reads nothing outside the folders', async () => {
    await expect(reader.readUrl(url('secret/key.txt'))).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(
      reader.readUrl(`${url('repos')}/../secret/key.txt`),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(
      reader.readUrl(url('repos/my-service/escape/key.txt')),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(
      reader.readUrl(url('repos/my-service/.git/config')),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
    await expect(
      reader.readUrl(url('repos/my-service/missing.yaml')),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('reads no file URL at all when no folder is configured', async () => {
    const none = UrlReaders.default({
      config: mockServices.rootConfig({ data: {} }),
      logger: mockServices.logger.mock(),
      factories: [FolderUrlReader.factory],
    });
    await expect(
      none.readUrl(url('repos/my-service/catalog-info.yaml')),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });
});
