/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { git } from '../lib/git';
import { createRenderer } from '../lib/render';

/** The repository's templates directory. */
export const TEMPLATES = resolve(__dirname, '../../../../templates');
/** file:// URL of the TypeScript HTTP service template. */
export const TEMPLATE_URL = pathToFileURL(
  join(TEMPLATES, 'typescript-service/template.yaml'),
).toString();

export const VALUES = {
  name: 'invoice-api',
  description: 'Creates and sends invoices for orders.',
  owner: 'group:default/orders-team',
  system: 'system:default/orders',
  database: false,
  redis: false,
  databaseResource: 'invoice-api-db',
  redisResource: 'invoice-api-cache',
};

export const AUTHOR = { name: 'Dana Ortiz', email: 'dana@example.com' };

export function testRenderer() {
  return createRenderer({
    reader: { readUrl: jest.fn(), readTree: jest.fn(), search: jest.fn() } as any,
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
    logger: mockServices.logger.mock(),
  });
}

/**
 * Makes the bare repository `<root>/git/<name>.git` of a service as a golden-path run of `version`
 * leaves it (rendered skeleton + provenance, one commit on main), and a clone of it in `<root>/clone`.
 */
export async function createServiceRepo(options: {
  root: string;
  version: string;
  name?: string;
}): Promise<{ gitdir: string; clone: string }> {
  const { root, version } = options;
  const name = options.name ?? 'invoice-api';
  const renderer = testRenderer();
  const templateDir = join(root, `template-${name}`);
  await renderer.fetchTemplate({ templateUrl: TEMPLATE_URL, dir: templateDir });
  const clone = join(root, `clone-${name}`);
  await renderer.renderVersion({
    templateDir,
    provenance: {
      template: 'template:default/typescript-service',
      version,
      values: { ...VALUES, name },
    },
    outputDir: clone,
  });
  await fs.promises.rm(templateDir, { recursive: true, force: true });
  const gitdir = join(root, 'git', `${name}.git`);
  await fs.promises.mkdir(gitdir, { recursive: true });
  await git(['init', '--quiet', '--bare', '--initial-branch=main'], { cwd: gitdir });
  await git(['init', '--quiet', '--initial-branch=main'], { cwd: clone });
  await commitAll(clone, 'Create from the golden path');
  await git(['remote', 'add', 'origin', gitdir], { cwd: clone });
  await git(['push', '--quiet', 'origin', 'main'], { cwd: clone });
  return { gitdir, clone };
}

export async function commitAll(dir: string, message: string) {
  await git(['add', '--all'], { cwd: dir });
  await git(
    ['-c', `user.name=${AUTHOR.name}`, '-c', `user.email=${AUTHOR.email}`, 'commit', '--quiet', '-m', message],
    { cwd: dir },
  );
}

/** Replaces text in a file of a clone (throws when it is not there, so tests fail loudly). */
export async function edit(dir: string, path: string, from: string | RegExp, to: string) {
  const file = join(dir, path);
  const text = await fs.promises.readFile(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${path} does not contain ${from}`);
  await fs.promises.writeFile(file, next);
}
