/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { posix } from 'node:path';

/** Names of local repositories: DNS labels of at most 63 characters. @internal */
export const REPO_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

const REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const TASK_CONFIG_KEY = 'paved.taskid';

/** A file in a repository tree. @internal */
export interface RepositoryFile {
  /** Path relative to the repository root, with `/` separators. */
  path: string;
  /** Reads the content. */
  content(): Promise<Buffer>;
}

async function listWorkspaceFiles(root: string, rel = ''): Promise<string[]> {
  const dir = rel ? resolveSafeChildPath(root, rel) : root;
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name === '.git') {
        continue;
      }
      files.push(...(await listWorkspaceFiles(root, childRel)));
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      files.push(childRel);
    }
  }
  return files;
}

/**
 * Bare git repositories in a local directory (`<directory>/<name>.git`), written and read with
 * isomorphic-git (no shell, no `git` binary). Clonable with plain `git clone <directory>/<name>.git`.
 *
 * @internal
 */
export class LocalGitRepositories {
  readonly #directory: string;

  static create(options: { directory: string }): LocalGitRepositories {
    return new LocalGitRepositories(options.directory);
  }

  private constructor(directory: string) {
    this.#directory = directory;
  }

  /** The directory holding the repositories. */
  get directory(): string {
    return this.#directory;
  }

  /**
   * The git directory of a repository. Throws InputError for a name that is not a DNS label.
   */
  gitdir(name: string): string {
    if (!REPO_NAME_PATTERN.test(name)) {
      throw new InputError(
        `Invalid repository name '${name}': use a DNS label (lowercase letters, digits and '-', at most 63 characters, starting with a letter)`,
      );
    }
    return resolveSafeChildPath(this.#directory, `${name}.git`);
  }

  async exists(name: string): Promise<boolean> {
    try {
      await fs.promises.access(posix.join(this.gitdir(name), 'HEAD'));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Publishes the files of `sourceDir` as the first commit of a new bare repository.
   *
   * isomorphic-git has no transport for local paths, so instead of a push the commit is written
   * straight into the new bare repository (worktree = `sourceDir`, gitdir = the bare repository):
   * the same objects and branch a `git push` would leave there.
   *
   * Idempotent per task: a repository that an earlier attempt of the same task created is replaced;
   * one made by anything else gives a ConflictError.
   */
  async publish(options: {
    name: string;
    sourceDir: string;
    branch: string;
    taskId: string;
    author: { name: string; email: string };
    message: string;
  }): Promise<{ commit: string; gitdir: string }> {
    const { name, sourceDir, branch, taskId, author, message } = options;
    if (!REF_PATTERN.test(branch)) {
      throw new InputError(`Invalid branch name '${branch}'`);
    }
    const gitdir = this.gitdir(name);
    await fs.promises.mkdir(this.#directory, { recursive: true });
    try {
      await fs.promises.mkdir(gitdir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw e;
      }
      let owner: unknown;
      try {
        owner = await git.getConfig({ fs, gitdir, path: TASK_CONFIG_KEY });
      } catch {
        owner = undefined;
      }
      if (owner !== taskId) {
        throw new ConflictError(
          `A repository named '${name}' already exists; choose another name`,
        );
      }
      // An earlier attempt of this task: start again from a clean repository.
      await fs.promises.rm(gitdir, { recursive: true, force: true });
      await fs.promises.mkdir(gitdir);
    }
    await git.init({ fs, gitdir, bare: true, defaultBranch: branch });
    await git.setConfig({ fs, gitdir, path: TASK_CONFIG_KEY, value: taskId });

    const files = await listWorkspaceFiles(sourceDir);
    if (files.length === 0) {
      throw new InputError('There are no files to publish');
    }
    for (const filepath of files) {
      await git.add({ fs, dir: sourceDir, gitdir, filepath });
    }
    const commit = await git.commit({
      fs,
      dir: sourceDir,
      gitdir,
      message,
      author,
      committer: author,
    });
    // The staging index is not part of a bare repository.
    await fs.promises.rm(posix.join(gitdir, 'index'), { force: true });
    return { commit, gitdir };
  }

  async #resolve(name: string, ref: string): Promise<{ gitdir: string; oid: string }> {
    const gitdir = this.gitdir(name);
    if (!(await this.exists(name))) {
      throw new NotFoundError(`Repository '${name}' does not exist`);
    }
    if (!REF_PATTERN.test(ref)) {
      throw new InputError(`Invalid ref '${ref}'`);
    }
    try {
      const oid = /^[0-9a-f]{40}$/.test(ref)
        ? ref
        : await git.resolveRef({ fs, gitdir, ref });
      return { gitdir, oid };
    } catch {
      throw new NotFoundError(`Ref '${ref}' of repository '${name}' does not exist`);
    }
  }

  /** Reads one file at a ref (branch or commit). Throws NotFoundError when absent. */
  async readFile(options: {
    name: string;
    ref: string;
    path: string;
  }): Promise<{ content: Buffer; commit: string }> {
    const filepath = normalizeRepoPath(options.path);
    const { gitdir, oid } = await this.#resolve(options.name, options.ref);
    try {
      const { blob } = await git.readBlob({ fs, gitdir, oid, filepath });
      return { content: Buffer.from(blob), commit: oid };
    } catch {
      throw new NotFoundError(
        `File '${filepath}' does not exist at '${options.ref}' in repository '${options.name}'`,
      );
    }
  }

  /**
   * Lists the files under a directory (`''` for all) at a ref, with lazy content.
   */
  async listFiles(options: {
    name: string;
    ref: string;
    path?: string;
  }): Promise<{ files: RepositoryFile[]; commit: string }> {
    const prefix = options.path ? normalizeRepoPath(options.path) : '';
    const { gitdir, oid } = await this.#resolve(options.name, options.ref);
    const paths = await git.listFiles({ fs, gitdir, ref: oid });
    const selected = paths.filter(
      p => !prefix || p === prefix || p.startsWith(`${prefix}/`),
    );
    return {
      commit: oid,
      files: selected.map(p => ({
        path: prefix ? p.slice(prefix.length + 1) : p,
        content: async () =>
          Buffer.from(
            (await git.readBlob({ fs, gitdir, oid, filepath: p })).blob,
          ),
      })),
    };
  }
}

/**
 * Normalises a path inside a repository and rejects anything that could leave it.
 * @internal
 */
export function normalizeRepoPath(path: string): string {
  const normalized = posix.normalize(`/${path}`).replace(/^\/+|\/+$/g, '');
  if (
    !normalized ||
    normalized.split('/').some(s => s === '..' || s === '.git') ||
    path.includes('\0')
  ) {
    throw new InputError(`Invalid path '${path}'`);
  }
  return normalized;
}
