/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory, mockServices } from '@backstage/backend-test-utils';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import {
  AUTHOR,
  commitAll,
  createServiceRepo,
  edit,
  TEMPLATE_URL,
  testRenderer,
} from '../__testUtils__/serviceRepo';
import { git } from './git';
import { upgradeRepository } from './upgrade';

jest.setTimeout(120_000);

async function show(gitdir: string, ref: string, path: string) {
  return (await git(['show', `${ref}:${path}`], { cwd: gitdir })).stdout;
}

describe('upgradeRepository', () => {
  const dir = createMockDirectory();
  afterEach(() => dir.clear());

  const upgrade = (
    gitdir: string,
    work: string,
    extra: { dryRun?: boolean; runTests?: boolean; attemptId?: string } = {},
  ) =>
    upgradeRepository({
      gitdir,
      workDir: dir.resolve(work),
      resolveTemplateUrl: async ref => {
        expect(ref).toBe('template:default/typescript-service');
        return TEMPLATE_URL;
      },
      renderer: testRenderer(),
      logger: mockServices.logger.mock(),
      dryRun: extra.dryRun ?? false,
      runTests: extra.runTests ?? true,
      testTimeoutMs: 60_000,
      author: AUTHOR,
      attemptId: extra.attemptId,
    });

  it('merges non-overlapping edits, marks overlapping ones as conflicts and loses nothing of the developer', async () => {
    const { gitdir, clone } = await createServiceRepo({ root: dir.path, version: '1.0.0' });
    // The developer's own changes, in files v2 also changes...
    await edit(clone, 'src/server.ts', "      if (path === '/') {", "      if (path === '/version') {\n        sendJson(res, 200, { version: '1.4.2' });\n        return;\n      }\n      if (path === '/') {");
    await edit(clone, 'docs/index.md', /$/, '\n## Runbook\n\nPage the orders team on call.\n');
    await edit(clone, 'Dockerfile', 'ENV NODE_ENV=production PORT=8080', 'ENV NODE_ENV=production PORT=9000');
    // ...and in files it does not.
    await edit(clone, 'README.md', /$/, '\nOn call: #orders-oncall\n');
    await commitAll(clone, 'Our own changes');
    await git(['push', '--quiet', 'origin', 'main'], { cwd: clone });
    const mainBefore = (await git(['rev-parse', 'main'], { cwd: gitdir })).stdout;

    // A dry run shows the change and pushes nothing.
    const dry = await upgrade(gitdir, 'work-dry', { dryRun: true });
    expect(dry).toMatchObject({ fromVersion: '1.0.0', toVersion: '2.0.0', upToDate: false, commit: '' });
    expect(dry.diff).toContain("+      if (path === '/metrics') {");
    expect((await git(['branch', '--list'], { cwd: gitdir })).stdout.trim()).toBe('* main');

    const result = await upgrade(gitdir, 'work');
    expect(result.branch).toBe('paved/upgrade/typescript-service-2.0.0');
    expect(result.report.conflicts.map(c => c.path)).toEqual(['Dockerfile']);
    expect(result.report.merged).toEqual(expect.arrayContaining(['src/server.ts', 'docs/index.md']));
    expect(result.report.added).toEqual(expect.arrayContaining(['src/metrics.ts', 'src/shutdown.ts']));
    expect(result.report.updated).toEqual(expect.arrayContaining(['.paved/template.json', 'catalog-info.yaml']));
    expect(result.mergeable).toBe(false);
    expect(result.tests.ran).toBe(false);

    // The default branch is untouched; the branch has both sides.
    expect((await git(['rev-parse', 'main'], { cwd: gitdir })).stdout).toBe(mainBefore);
    const ref = result.branch;
    const server = await show(gitdir, ref, 'src/server.ts');
    expect(server).toContain("if (path === '/version')");
    expect(server).toContain("if (path === '/metrics')");
    expect(server).toContain('isDraining()');
    const docs = await show(gitdir, ref, 'docs/index.md');
    expect(docs).toContain('Page the orders team on call.');
    expect(docs).toContain('`GET /metrics`');
    expect(await show(gitdir, ref, 'README.md')).toContain('On call: #orders-oncall');
    const dockerfile = await show(gitdir, ref, 'Dockerfile');
    expect(dockerfile).toMatch(/^<<<<<<< main \(your repository\)$/m);
    expect(dockerfile).toContain('ENV NODE_ENV=production PORT=9000');
    expect(dockerfile).toMatch(/^=======$/m);
    expect(dockerfile).toContain('ENV NODE_ENV=production PORT=8080 SHUTDOWN_DRAIN_MS=5000 SHUTDOWN_TIMEOUT_MS=10000');
    expect(dockerfile).toMatch(/^>>>>>>> template 2\.0\.0$/m);
    expect(dockerfile).toContain('STOPSIGNAL SIGTERM');
    expect(JSON.parse(await show(gitdir, ref, '.paved/template.json')).version).toBe('2.0.0');
    expect(await show(gitdir, ref, 'catalog-info.yaml')).toContain('paved.dev/template-version: 2.0.0');

    // Upgrading again while the branch is open is refused, never overwritten.
    await expect(upgrade(gitdir, 'work-again')).rejects.toThrow(/already exists/);
  });

  it('gives a conflict-free upgrade whose service passes its tests and answers /healthz and /metrics', async () => {
    const { gitdir, clone } = await createServiceRepo({ root: dir.path, version: '1.0.0' });
    await edit(clone, 'README.md', /$/, '\nOn call: #orders-oncall\n');
    await commitAll(clone, 'Our README');
    await git(['push', '--quiet', 'origin', 'main'], { cwd: clone });

    const result = await upgrade(gitdir, 'work');
    expect(result.report.conflicts).toEqual([]);
    expect(result.tests).toMatchObject({ ran: true, passed: true });
    expect(result.tests.output).toMatch(/# fail 0/);
    expect(result.mergeable).toBe(true);

    // A fresh clone of the branch is a working v2 service.
    const fresh = dir.resolve('fresh');
    await git(['clone', '--quiet', '--branch', result.branch, gitdir, fresh], { cwd: dir.path });
    expect(fs.readFileSync(join(fresh, 'README.md'), 'utf8')).toContain('On call: #orders-oncall');
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: fresh,
      env: { PATH: process.env.PATH, PORT: '0', SHUTDOWN_DRAIN_MS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((ok, fail) => {
        let buffer = '';
        child.stdout.on('data', chunk => {
          buffer += chunk;
          for (const line of buffer.split('\n')) {
            try {
              const entry = JSON.parse(line);
              if (entry.message === 'listening') ok(entry.port);
            } catch {
              // partial line
            }
          }
        });
        child.once('exit', code => fail(new Error(`exited with ${code}`)));
      });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(await metrics.text()).toContain('http_requests_total{method="GET",route="/healthz",status="200"} 1');
      const exited = new Promise<number | null>(ok => child.once('exit', ok));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
  });

  it('keeps the branch an interrupted attempt of the same task pushed, and refuses any other', async () => {
    const { gitdir } = await createServiceRepo({ root: dir.path, version: '1.0.0' });
    const first = await upgrade(gitdir, 'work-1', { attemptId: 'task-1', runTests: false });
    expect(first.commit).toBeTruthy();
    // The task was killed after the push, before its checkpoint was saved: the resumed run keeps the commit.
    const resumed = await upgrade(gitdir, 'work-2', { attemptId: 'task-1', runTests: false });
    expect(resumed.commit).toBe(first.commit);
    expect(resumed.report).toEqual(first.report);
    expect((await git(['rev-list', '--count', `main..${first.branch}`], { cwd: gitdir })).stdout.trim()).toBe('1');
    // Another task (or none) is refused: the branch is open.
    await expect(upgrade(gitdir, 'work-3', { attemptId: 'task-2', runTests: false })).rejects.toThrow(/already exists/);
    await expect(upgrade(gitdir, 'work-4', { runTests: false })).rejects.toThrow(/already exists/);
  });

  it('does nothing for a service already on the newest version', async () => {
    const { gitdir } = await createServiceRepo({ root: dir.path, version: '2.0.0' });
    const result = await upgrade(gitdir, 'work');
    expect(result).toMatchObject({ upToDate: true, fromVersion: '2.0.0', toVersion: '2.0.0', branch: '' });
  });
});
