/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import git from 'isomorphic-git';
import fs from 'node:fs';

/** Whether and by whom a repository was archived. @internal */
export interface ArchiveState {
  archived: boolean;
  archivedBy?: string;
  archivedAt?: string;
  reason?: string;
}

/**
 * Reads the archive marker of a bare repository (git config `paved.archived`, `paved.archivedBy`,
 * `paved.archivedAt`, `paved.archiveReason`).
 * @internal
 */
export async function readArchiveState(gitdir: string): Promise<ArchiveState> {
  const get = async (path: string) => {
    try {
      const v = await git.getConfig({ fs, gitdir, path });
      return v === undefined || v === null ? undefined : String(v);
    } catch {
      return undefined;
    }
  };
  const archived = (await get('paved.archived')) === 'true';
  return {
    archived,
    archivedBy: await get('paved.archivedBy'),
    archivedAt: await get('paved.archivedAt'),
    reason: await get('paved.archiveReason'),
  };
}

/**
 * Archives a bare repository: it stays readable (clone, fetch, URL reader) and every push is refused
 * (`http.receivepack false`, and the git server checks the marker before it runs `git http-backend`).
 * Nothing is deleted. Idempotent.
 * @internal
 */
export async function archiveRepository(options: {
  gitdir: string;
  by: string;
  at: Date;
  reason: string;
}): Promise<ArchiveState> {
  const { gitdir } = options;
  const existing = await readArchiveState(gitdir);
  if (existing.archived) return existing;
  await git.setConfig({ fs, gitdir, path: 'paved.archivedBy', value: options.by });
  await git.setConfig({ fs, gitdir, path: 'paved.archivedAt', value: options.at.toISOString() });
  await git.setConfig({ fs, gitdir, path: 'paved.archiveReason', value: options.reason });
  await git.setConfig({ fs, gitdir, path: 'http.receivepack', value: 'false' });
  await git.setConfig({ fs, gitdir, path: 'paved.archived', value: 'true' });
  return readArchiveState(gitdir);
}
