/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import type {
  ReaderFactory,
  ReadTreeResponseFactory,
} from '@backstage/backend-defaults/urlReader';
import { InputError, NotFoundError, NotModifiedError } from '@backstage/errors';
import { minimatch } from 'minimatch';
import { Readable } from 'node:stream';
import { readPavedScaffolderConfig } from '../config';
import {
  LocalGitRepositories,
  normalizeRepoPath,
} from './LocalGitRepositories';

/** The URL segments that name a file or tree: `raw` (what publish:paved-git outputs), `blob`, `tree`. */
const VIEW_SEGMENTS = new Set(['raw', 'blob', 'tree']);

/**
 * A location on the embedded git server, parsed from
 * `<backend>/api/scaffolder/paved-git/<repo>/<raw|blob|tree>/<ref>/<path>`.
 * @internal
 */
export interface PavedGitLocation {
  repo: string;
  ref: string;
  /** Path inside the repository, `''` for the root; undecoded glob characters kept for search. */
  path: string;
}

/**
 * Reads the embedded git server's bare repositories in-process (isomorphic-git, no HTTP, no shell),
 * for every plugin that uses `coreServices.urlReader`: the catalog (`url` locations, "Register existing
 * component"), TechDocs (`dir:` references need `readTree`) and anything that searches a tree.
 *
 * The etag of every response is the commit the ref resolved to, so unchanged repositories answer
 * `NotModifiedError` and TechDocs rebuilds only after a new commit.
 *
 * @internal
 */
export class PavedGitUrlReader implements UrlReaderService {
  readonly #repositories: LocalGitRepositories;
  readonly #prefix: URL;
  readonly #treeResponseFactory: ReadTreeResponseFactory;

  /**
   * A reader factory for `urlReaderFactoriesServiceRef`: one reader for URLs under
   * `<scaffolderBaseUrl>/paved-git/` (and the external base URL when it differs), reading the
   * repositories in `scaffolder.paved.git.directory`.
   */
  static factory(options: { scaffolderBaseUrls: string[] }): ReaderFactory {
    return ({ config, treeResponseFactory }) => {
      const repositories = LocalGitRepositories.create({
        directory: readPavedScaffolderConfig(config).git.directory,
      });
      return [...new Set(options.scaffolderBaseUrls)].map(scaffolderBaseUrl => {
        const reader = PavedGitUrlReader.create({
          repositories,
          scaffolderBaseUrl,
          treeResponseFactory,
        });
        return { reader, predicate: (url: URL) => reader.handles(url) };
      });
    };
  }

  static create(options: {
    repositories: LocalGitRepositories;
    /** Base URL of the scaffolder plugin, e.g. `http://localhost:7007/api/scaffolder`. */
    scaffolderBaseUrl: string;
    treeResponseFactory: ReadTreeResponseFactory;
  }): PavedGitUrlReader {
    return new PavedGitUrlReader(
      options.repositories,
      new URL(`${options.scaffolderBaseUrl.replace(/\/+$/, '')}/paved-git/`),
      options.treeResponseFactory,
    );
  }

  private constructor(
    repositories: LocalGitRepositories,
    prefix: URL,
    treeResponseFactory: ReadTreeResponseFactory,
  ) {
    this.#repositories = repositories;
    this.#prefix = prefix;
    this.#treeResponseFactory = treeResponseFactory;
  }

  /** Whether a URL points at the embedded git server. */
  handles(url: URL): boolean {
    return (
      url.origin === this.#prefix.origin &&
      url.pathname.startsWith(this.#prefix.pathname)
    );
  }

  /** Splits a URL into repository, ref and path. Throws InputError for anything else. */
  parse(url: string): PavedGitLocation {
    const parsed = new URL(url);
    if (!this.handles(parsed)) {
      throw new InputError(`${url} is not a URL of the embedded git server`);
    }
    const segments = parsed.pathname
      .slice(this.#prefix.pathname.length)
      .split('/')
      .map(s => {
        try {
          return decodeURIComponent(s);
        } catch {
          throw new InputError(`Invalid URL ${url}`);
        }
      });
    const [repo, view, ref, ...rest] = segments;
    if (!repo || !VIEW_SEGMENTS.has(view) || !ref) {
      throw new InputError(
        `Invalid embedded git URL ${url}: expected .../paved-git/<repo>/raw/<ref>/<path>`,
      );
    }
    const path = rest.filter(s => s !== '').join('/');
    if (
      path.includes('\0') ||
      path.split('/').some(s => s === '..' || s === '.git')
    ) {
      throw new InputError(`Invalid path in ${url}`);
    }
    return { repo, ref, path };
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const { repo, ref, path } = this.parse(url);
    const { content, commit } = await this.#repositories.readFile({
      name: repo,
      ref,
      path,
    });
    if (options?.etag && options.etag === commit) {
      throw new NotModifiedError();
    }
    return {
      buffer: async () => content,
      stream: () => Readable.from([content]),
      etag: commit,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const { repo, ref, path } = this.parse(url);
    const { files, commit } = await this.#repositories.listFiles({
      name: repo,
      ref,
      path: path ? normalizeRepoPath(path) : undefined,
    });
    if (options?.etag && options.etag === commit) {
      throw new NotModifiedError();
    }
    if (files.length === 0) {
      throw new NotFoundError(
        `There are no files under '${
          path || '/'
        }' at '${ref}' in repository '${repo}'`,
      );
    }
    const entries = [];
    for (const file of files) {
      const content = await file.content();
      if (
        options?.filter &&
        !options.filter(file.path, { size: content.length })
      ) {
        continue;
      }
      entries.push({ path: file.path, data: Readable.from([content]) });
    }
    const tree = await this.#treeResponseFactory.fromReadableArray(entries);
    // fromReadableArray has no etag of its own: the commit is the tree's identity.
    return {
      files: () => tree.files(),
      archive: () => tree.archive(),
      dir: dirOptions => tree.dir(dirOptions),
      etag: commit,
    };
  }

  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    const { repo, ref, path: pattern } = this.parse(url);
    if (!pattern) {
      throw new InputError(`A search URL needs a path pattern: ${url}`);
    }
    const { files, commit } = await this.#repositories.listFiles({
      name: repo,
      ref,
    });
    if (options?.etag && options.etag === commit) {
      throw new NotModifiedError();
    }
    const matched = files.filter(f =>
      minimatch(f.path, pattern, { dot: false, nocase: false }),
    );
    return {
      etag: commit,
      files: matched.map(f => ({
        url: this.fileUrl({ repo, ref, path: f.path }),
        content: () => f.content(),
      })),
    };
  }

  /** The URL of a file, as `publish:paved-git` writes it: `<prefix><repo>/raw/<ref>/<path>`. */
  fileUrl(location: PavedGitLocation): string {
    const encode = (s: string) =>
      s.split('/').map(encodeURIComponent).join('/');
    return `${this.#prefix.href}${encode(location.repo)}/raw/${encode(
      location.ref,
    )}/${encode(location.path)}`;
  }

  toString(): string {
    return `paved-git{prefix=${this.#prefix.href}}`;
  }
}
