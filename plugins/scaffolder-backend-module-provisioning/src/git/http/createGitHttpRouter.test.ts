/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  createMockDirectory,
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { execFile } from 'node:child_process';
import express from 'express';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { LocalGitRepositories } from '../LocalGitRepositories';
import { archiveRepository } from '../RepositoryState';
import { createGitHttpRouter } from './createGitHttpRouter';
import { GitAccessTokenStore } from './GitAccessTokenStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function run(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise(resolve => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: cwd,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_TERMINAL_PROMPT: '0',
          GIT_ASKPASS: '/bin/false',
          LC_ALL: 'C',
        },
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as any).code ?? 1) : 0,
          out: `${stdout}${stderr}`,
        }),
    );
  });
}

describe('git over smart HTTP (real git CLI)', () => {
  const dir = createMockDirectory();
  let server: Server;
  let base: string;
  let tokens: GitAccessTokenStore;
  let repositories: LocalGitRepositories;
  let app: express.Express;

  const orders = 'user:default/dana.ortiz';
  const payments = 'user:default/sam.lee';

  beforeAll(async () => {
    dir.setContent({
      workspace: {
        'catalog-info.yaml':
          'kind: Component\nmetadata:\n  name: invoice-api\nspec:\n  owner: group:default/orders-team\n',
        'README.md': '# invoice-api\n',
      },
      work: {},
    });
    repositories = LocalGitRepositories.create({ directory: dir.resolve('git') });
    for (const name of ['invoice-api', 'old-api']) {
      await repositories.publish({
        name,
        sourceDir: dir.resolve('workspace'),
        branch: 'main',
        taskId: 't',
        author: { name: 'a', email: 'a@example.com' },
        message: 'm',
      });
    }
    await archiveRepository({
      gitdir: repositories.gitdir('old-api'),
      by: orders,
      at: new Date('2026-12-06T00:00:00Z'),
      reason: 'retired',
    });
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({
      directory: `${__dirname}/../../../migrations`,
      tableName: 'paved_scaffolder_provisioning_knex_migrations',
    });
    tokens = GitAccessTokenStore.create({ db: knex });
    const member = (user: string, group: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: user.split('/')[1] },
      spec: {},
      relations: [{ type: 'memberOf', targetRef: group }],
    });
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'invoice-api' },
          spec: { owner: 'orders-team', type: 'service', lifecycle: 'production' },
        },
        member(orders, 'group:default/orders-team'),
        member(payments, 'group:default/payments-team'),
      ],
    });
    const userInfo = {
      async getUserInfo(credentials: any) {
        const ref = credentials.principal.userEntityRef;
        const team = ref === orders ? 'group:default/orders-team' : 'group:default/payments-team';
        return { userEntityRef: ref, ownershipEntityRefs: [ref, team] };
      },
    };
    app = express()
      .use(
        await createGitHttpRouter({
          repositories,
          tokens,
          auth: mockServices.auth(),
          httpAuth: mockServices.httpAuth({ defaultCredentials: mockCredentials.none() }),
          userInfo,
          catalog,
          discovery: mockServices.discovery(),
          logger: mockServices.logger.mock(),
          defaultBranch: 'main',
        }),
      )
      .use(mockErrorHandler());
    server = app.listen(0, '127.0.0.1');
    await new Promise(r => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(r => server.close(r));
  });

  const url = (token: string | undefined, name = 'invoice-api') =>
    token
      ? `${base.replace('http://', `http://git:${encodeURIComponent(token)}@`)}/paved-git/${name}.git`
      : `${base}/paved-git/${name}.git`;

  it('refuses anonymous callers with a Basic challenge', async () => {
    const res = await request(app).get('/paved-git/invoice-api.git/info/refs?service=git-upload-pack');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    const clone = await run(['clone', url(undefined), 'anon'], dir.resolve('work'));
    expect(clone.code).not.toBe(0);
    expect(fs.existsSync(dir.resolve('work/anon/README.md'))).toBe(false);
  });

  it('issues, lists and revokes git access tokens (hashed)', async () => {
    const as = mockCredentials.user.header(orders);
    const created = await request(app).post('/git-tokens').set('Authorization', as).send({ name: 'laptop' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^pvg_/);
    const list = await request(app).get('/git-tokens').set('Authorization', as);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: created.body.id, name: 'laptop', prefix: created.body.token.slice(0, 8) }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    expect(await tokens.verify(created.body.token)).toBe(orders);
    const bad = await request(app).post('/git-tokens').set('Authorization', as).send({ name: '' });
    expect(bad.status).toBe(400);
    const other = await request(app)
      .delete(`/git-tokens/${created.body.id}`)
      .set('Authorization', mockCredentials.user.header(payments));
    expect(other.status).toBe(404);
    const revoked = await request(app).delete(`/git-tokens/${created.body.id}`).set('Authorization', as);
    expect(revoked.status).toBe(204);
    expect(await tokens.verify(created.body.token)).toBeUndefined();
    const anon = await request(app).get('/git-tokens');
    expect(anon.status).toBe(401);
  });

  it('clones with a token and pushes as a member of the owning team', async () => {
    const { token } = await tokens.issue({ userEntityRef: orders, name: 'cli' });
    const work = dir.resolve('work');
    const clone = await run(['clone', url(token), 'owner'], work);
    expect(clone.code).toBe(0);
    const repo = join(work, 'owner');
    expect(fs.readFileSync(join(repo, 'README.md'), 'utf8')).toBe('# invoice-api\n');
    fs.writeFileSync(join(repo, 'README.md'), '# invoice-api\n\nEdited over HTTP.\n');
    await run(['-c', 'user.name=Dana', '-c', 'user.email=dana@example.com', 'commit', '-qam', 'edit'], repo);
    const push = await run(['push', 'origin', 'main'], repo);
    expect(push.out).toContain('main -> main');
    expect(push.code).toBe(0);
    const { content } = await repositories.readFile({ name: 'invoice-api', ref: 'main', path: 'README.md' });
    expect(content.toString()).toContain('Edited over HTTP.');
  });

  it('accepts a Backstage token as the password for reads', async () => {
    const clone = await run(
      ['clone', url(mockCredentials.user.token(payments)), 'backstage-token'],
      dir.resolve('work'),
    );
    expect(clone.code).toBe(0);
    expect(fs.readFileSync(dir.resolve('work/backstage-token/README.md'), 'utf8')).toContain('Edited over HTTP.');
  });

  it('refuses a push from another team', async () => {
    const { token } = await tokens.issue({ userEntityRef: payments, name: 'cli' });
    const work = dir.resolve('work');
    expect((await run(['clone', url(token), 'other'], work)).code).toBe(0);
    const repo = join(work, 'other');
    fs.writeFileSync(join(repo, 'README.md'), 'taken over\n');
    await run(['-c', 'user.name=Sam', '-c', 'user.email=sam@example.com', 'commit', '-qam', 'x'], repo);
    const push = await run(['push', 'origin', 'main'], repo);
    expect(push.code).not.toBe(0);
    expect(push.out).toMatch(/403/);
    const { content } = await repositories.readFile({ name: 'invoice-api', ref: 'main', path: 'README.md' });
    expect(content.toString()).not.toContain('taken over');
  });

  it('keeps archived repositories readable and refuses pushes to them', async () => {
    const { token } = await tokens.issue({ userEntityRef: orders, name: 'cli2' });
    const work = dir.resolve('work');
    expect((await run(['clone', url(token, 'old-api'), 'archived'], work)).code).toBe(0);
    const repo = join(work, 'archived');
    fs.writeFileSync(join(repo, 'README.md'), 'after retirement\n');
    await run(['-c', 'user.name=Dana', '-c', 'user.email=dana@example.com', 'commit', '-qam', 'x'], repo);
    const push = await run(['push', 'origin', 'main'], repo);
    expect(push.code).not.toBe(0);
    const res = await request(app)
      .get('/paved-git/old-api.git/info/refs?service=git-receive-pack')
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/archived/);
  });

  it('answers a landing page and 404 for unknown repositories', async () => {
    const page = await request(app)
      .get('/paved-git/invoice-api.git')
      .set('Authorization', mockCredentials.user.header(payments));
    expect(page.status).toBe(200);
    expect(page.text).toContain('git clone');
    expect(page.text).toContain('README.md');
    const missing = await request(app)
      .get('/paved-git/nope.git/info/refs?service=git-upload-pack')
      .set('Authorization', mockCredentials.user.header(payments));
    expect(missing.status).toBe(404);
  });
});
