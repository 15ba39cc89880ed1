/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory, mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import { join } from 'node:path';
import { AUTHOR, TEMPLATE_URL, testRenderer, VALUES } from '../__testUtils__/serviceRepo';
import { adoptTemplate, importDirectory } from './adopt';
import { git } from './git';
import { parseProvenance } from './provenance';
import { upgradeRepository } from './upgrade';

jest.setTimeout(120_000);

const show = async (gitdir: string, ref: string, path: string) =>
  (await git(['show', `${ref}:${path}`], { cwd: gitdir })).stdout;
const files = async (gitdir: string, ref: string) =>
  (await git(['ls-tree', '-r', '--name-only', ref], { cwd: gitdir })).stdout.trim().split('\n');

describe('adoptTemplate (onboarding an existing repository)', () => {
  const dir = createMockDirectory();
  afterEach(() => dir.clear());

  const OWN = {
    'README.md': '# billing\n\nOur own README: how billing works.\nOn call: #billing\n',
    Dockerfile: 'FROM node:20-alpine\nWORKDIR /srv\nCOPY . .\nCMD ["node", "src/index.js"]\n',
    'src/index.js': "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n",
    'src/server.ts': "export const ours = 'the service\\'s own server';\n",
    'package.json': '{\n  "name": "billing",\n  "version": "3.1.0"\n}\n',
  };

  async function existingRepo(content: Record<string, string>, name = 'billing') {
    const src = dir.resolve(`src-${name}`);
    for (const [path, text] of Object.entries(content)) {
      fs.mkdirSync(join(src, path, '..'), { recursive: true });
      fs.writeFileSync(join(src, path), text);
    }
    const gitdir = dir.resolve(`git/${name}.git`);
    await importDirectory({ sourceDir: src, gitdir, branch: 'main', message: 'Existing code', author: AUTHOR });
    return gitdir;
  }

  const adopt = (gitdir: string, work: string, extra: { version?: string; autoMerge?: boolean; dryRun?: boolean } = {}) =>
    adoptTemplate({
      gitdir,
      workDir: dir.resolve(work),
      templateUrl: TEMPLATE_URL,
      templateRef: 'template:default/typescript-service',
      version: extra.version,
      values: { ...VALUES, name: 'billing' },
      renderer: testRenderer(),
      logger: mockServices.logger.mock(),
      dryRun: extra.dryRun ?? false,
      autoMerge: extra.autoMerge ?? false,
      author: AUTHOR,
    });

  it('keeps every file of a repository with its own README, Dockerfile and src; clashes are conflicts', async () => {
    const gitdir = await existingRepo(OWN);
    const mainBefore = (await git(['rev-parse', 'main'], { cwd: gitdir })).stdout;
    const result = await adopt(gitdir, 'work', { autoMerge: true });

    expect(result.branch).toBe('paved/adopt/typescript-service-2.0.0');
    expect(result.mergeable).toBe(false);
    expect(result.merged).toBe(false);
    // The default branch is untouched while there are conflicts.
    expect((await git(['rev-parse', 'main'], { cwd: gitdir })).stdout).toBe(mainBefore);

    const onBranch = await files(gitdir, result.branch);
    for (const [path, text] of Object.entries(OWN)) {
      expect(onBranch).toContain(path);
      const now = await show(gitdir, result.branch, path);
      // Every line of the service's own file is still there (conflict markers around clashes).
      for (const line of text.split('\n').filter(Boolean)) {
        expect([path, now.includes(line)]).toEqual([path, true]);
      }
    }
    expect(result.report.conflicts.map(c => c.path).sort()).toEqual(
      ['Dockerfile', 'README.md', 'package.json', 'src/server.ts'].sort(),
    );
    expect(await show(gitdir, result.branch, 'README.md')).toMatch(/<<<<<<< main \(your repository\)[\s\S]*=======[\s\S]*>>>>>>> template 2\.0\.0/);
    // A file only the service has is byte-for-byte the same.
    expect(await show(gitdir, result.branch, 'src/index.js')).toBe(OWN['src/index.js']);
    // The golden path's files are added.
    for (const path of ['.github/workflows/ci.yaml', 'catalog-info.yaml', 'docs/index.md', 'mkdocs.yml', '.paved/template.json', 'src/metrics.ts']) {
      expect(onBranch).toContain(path);
      expect(result.report.added).toContain(path);
    }
    const provenance = parseProvenance(await show(gitdir, result.branch, '.paved/template.json'));
    expect(provenance).toMatchObject({ template: 'template:default/typescript-service', version: '2.0.0' });
    const catalogInfo = await show(gitdir, result.branch, 'catalog-info.yaml');
    expect(catalogInfo).toContain('paved.dev/template-version: 2.0.0');
    expect(catalogInfo).toContain('name: billing');

    await expect(adopt(gitdir, 'work-again')).rejects.toThrow(/already exists/);
  });

  it('merges a conflict-free adoption, after which the service upgrades like any golden-path service', async () => {
    const gitdir = await existingRepo({ 'NOTES.md': '# Notes\n', 'lib/billing.js': 'module.exports = 1;\n' }, 'ledger');
    const dry = await adopt(gitdir, 'dry', { version: '1.0.0', autoMerge: true, dryRun: true });
    expect(dry).toMatchObject({ commit: '', merged: false, mergeable: true });
    expect(dry.diff).toContain('+++ b/catalog-info.yaml');
    expect(await files(gitdir, 'main')).toEqual(['NOTES.md', 'lib/billing.js']);

    const result = await adopt(gitdir, 'work', { version: '1.0.0', autoMerge: true });
    expect(result).toMatchObject({ mergeable: true, merged: true, version: '1.0.0' });
    const onMain = await files(gitdir, 'main');
    expect(onMain).toEqual(expect.arrayContaining(['NOTES.md', 'lib/billing.js', '.paved/template.json', 'Dockerfile']));
    expect(await show(gitdir, 'main', 'NOTES.md')).toBe('# Notes\n');

    const upgrade = await upgradeRepository({
      gitdir,
      workDir: dir.resolve('upgrade'),
      resolveTemplateUrl: async () => TEMPLATE_URL,
      renderer: testRenderer(),
      logger: mockServices.logger.mock(),
      dryRun: false,
      runTests: false,
      testTimeoutMs: 60_000,
      author: AUTHOR,
    });
    expect(upgrade).toMatchObject({ fromVersion: '1.0.0', toVersion: '2.0.0', upToDate: false });
    expect(upgrade.report.conflicts).toEqual([]);
    expect(await show(gitdir, upgrade.branch, 'lib/billing.js')).toBe('module.exports = 1;\n');
  });

  it('refuses a repository that is already on a golden path', async () => {
    const gitdir = await existingRepo({ 'x.md': 'x\n' }, 'again');
    await adopt(gitdir, 'first', { version: '1.0.0', autoMerge: true });
    await expect(adopt(gitdir, 'second')).rejects.toThrow(/already has \.paved\/template\.json/);
  });
});
