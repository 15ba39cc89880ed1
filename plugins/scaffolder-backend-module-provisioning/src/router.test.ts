/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  createMockDirectory,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { LocalGitRepositories } from './git/LocalGitRepositories';
import { createPavedGitRouter } from './router';

describe('createPavedGitRouter', () => {
  const dir = createMockDirectory();
  let app: express.Express;
  let commit: string;

  beforeAll(async () => {
    dir.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: Component\nmetadata:\n  name: invoice-api\n',
        docs: { 'index.md': '<script>alert(1)</script>\n' },
      },
    });
    const repositories = LocalGitRepositories.create({
      directory: dir.resolve('git'),
    });
    ({ commit } = await repositories.publish({
      name: 'invoice-api',
      sourceDir: dir.resolve('workspace'),
      branch: 'main',
      taskId: 't',
      author: { name: 'a', email: 'a@example.com' },
      message: 'm',
    }));
    app = express()
      .use(
        await createPavedGitRouter({
          repositories,
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.none(),
          }),
        }),
      )
      .use(mockErrorHandler());
  });

  const get = (path: string) =>
    request(app).get(path).set('Authorization', mockCredentials.user.header());

  it('answers 401 without credentials', async () => {
    const res = await request(app).get(
      '/paved-git/invoice-api/raw/main/catalog-info.yaml',
    );
    expect(res.status).toBe(401);
    const service = await request(app)
      .get('/paved-git/invoice-api/raw/main/catalog-info.yaml')
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(200);
  });

  it('serves a file at a branch and at a commit', async () => {
    const res = await get('/paved-git/invoice-api/raw/main/catalog-info.yaml');
    expect(res.status).toBe(200);
    expect(res.text).toContain('name: invoice-api');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');

    const byCommit = await get(`/paved-git/invoice-api/raw/${commit}/docs/index.md`);
    expect(byCommit.status).toBe(200);
    expect(byCommit.headers['x-content-type-options']).toBe('nosniff');
    expect(byCommit.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('answers 304 for an unchanged file', async () => {
    const first = await get('/paved-git/invoice-api/raw/main/catalog-info.yaml');
    const second = await get(
      '/paved-git/invoice-api/raw/main/catalog-info.yaml',
    ).set('If-None-Match', first.headers.etag);
    expect(second.status).toBe(304);
  });

  it.each([
    ['/paved-git/nope/raw/main/catalog-info.yaml', 404],
    ['/paved-git/invoice-api/raw/other/catalog-info.yaml', 404],
    ['/paved-git/invoice-api/raw/main/missing.yaml', 404],
    ['/paved-git/Invalid_Name/raw/main/catalog-info.yaml', 400],
    ['/paved-git/invoice-api/raw/main/.git/config', 400],
    ['/paved-git/..%2F..%2Fetc/raw/main/passwd', 400],
  ])('GET %s answers %i with an error body', async (path, status) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.body.error.name).toBe(
      status === 404 ? 'NotFoundError' : 'InputError',
    );
  });
});
