/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  resolveSafeChildPath,
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
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Directories never read from a folder: git internals and dependencies. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);
/** At most this many files are read into one tree or search. */
const MAX_FILES = 5000;

interface FileInfo {
  /** Path relative to the listed directory, with `/` separators. */
  path: string;
  absolute: string;
  size: number;
  mtimeMs: number;
}

async function walk(
  root: string,
  rel = '',
  out: FileInfo[] = [],
): Promise<FileInfo[]> {
  const dir = rel ? resolveSafeChildPath(root, rel) : root;
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) {
        await walk(root, childRel, out);
      }
    } else if (entry.isFile()) {
      const absolute = resolveSafeChildPath(root, childRel);
      const stat = await fs.promises.stat(absolute);
      out.push({
        path: childRel,
        absolute,
        size: stat.size,
        mtimeMs: stat.mtimeMs,
      });
    }
    if (out.length > MAX_FILES) {
      throw new InputError(
        `${root} has more than ${MAX_FILES} files; point at a smaller folder`,
      );
    }
  }
  return out;
}

function etagOf(files: FileInfo[]): string {
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 40);
}

/**
 * Reads `file://` URLs inside configured folders (`paved.reading.folders`), so that "Register
 * existing component", the catalog and TechDocs can use a checkout on the portal's machine in
 * development. Nothing outside the folders is read (`resolveSafeChildPath`, which also refuses
 * symbolic links that leave a folder); `.git` and `node_modules` are skipped.
 *
 * @internal
 */
export class FolderUrlReader implements UrlReaderService {
  readonly #folders: string[];
  readonly #treeResponseFactory: ReadTreeResponseFactory;

  /** One reader for all configured folders; none when `paved.reading.folders` is unset. */
  static factory: ReaderFactory = ({ config, treeResponseFactory }) => {
    const folders =
      config.getOptionalStringArray('paved.reading.folders') ?? [];
    if (folders.length === 0) {
      return [];
    }
    const reader = FolderUrlReader.create({
      folders: folders.map(f => resolve(f)),
      treeResponseFactory,
    });
    return [{ reader, predicate: url => reader.handles(url) }];
  };

  static create(options: {
    /** Absolute folders. */
    folders: string[];
    treeResponseFactory: ReadTreeResponseFactory;
  }): FolderUrlReader {
    return new FolderUrlReader(options.folders, options.treeResponseFactory);
  }

  private constructor(
    folders: string[],
    treeResponseFactory: ReadTreeResponseFactory,
  ) {
    this.#folders = folders;
    this.#treeResponseFactory = treeResponseFactory;
  }

  /** Whether a URL is a `file:` URL inside one of the folders. */
  handles(url: URL): boolean {
    return url.protocol === 'file:' && this.#locate(url) !== undefined;
  }

  #locate(url: URL): { folder: string; rel: string } | undefined {
    if (url.protocol !== 'file:' || (url.host && url.host !== 'localhost')) {
      return undefined;
    }
    let path: string;
    try {
      path = resolve(fileURLToPath(url));
    } catch {
      return undefined;
    }
    for (const folder of this.#folders) {
      if (path === folder || path.startsWith(`${folder}${sep}`)) {
        return { folder, rel: relative(folder, path).split(sep).join('/') };
      }
    }
    return undefined;
  }

  #resolve(url: string): string {
    const located = this.#locate(new URL(url));
    if (!located) {
      throw new InputError(
        `${url} is not inside a folder of paved.reading.folders`,
      );
    }
    const { folder, rel } = located;
    if (rel.split('/').some(s => SKIPPED_DIRECTORIES.has(s))) {
      throw new InputError(`Reading ${url} is not allowed`);
    }
    // Throws NotAllowedError for a path (or symbolic link) that leaves the folder.
    return rel ? resolveSafeChildPath(folder, rel) : folder;
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const path = this.#resolve(url);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(path);
    } catch {
      throw new NotFoundError(`${url} does not exist`);
    }
    if (!stat.isFile()) {
      throw new NotFoundError(`${url} is not a file`);
    }
    const etag = etagOf([
      { path: '', absolute: path, size: stat.size, mtimeMs: stat.mtimeMs },
    ]);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    const content = await fs.promises.readFile(path);
    return {
      buffer: async () => content,
      stream: () => Readable.from([content]),
      etag,
      lastModifiedAt: stat.mtime,
    };
  }

  async #list(url: string): Promise<{ root: string; files: FileInfo[] }> {
    const root = this.#resolve(url);
    try {
      if (!(await fs.promises.stat(root)).isDirectory()) {
        throw new NotFoundError(`${url} is not a directory`);
      }
    } catch (e) {
      throw e instanceof NotFoundError
        ? e
        : new NotFoundError(`${url} does not exist`);
    }
    return { root, files: await walk(root) };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const { files } = await this.#list(url);
    const selected = files.filter(
      f => !options?.filter || options.filter(f.path, { size: f.size }),
    );
    const etag = etagOf(selected);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    const entries = await Promise.all(
      selected.map(async f => ({
        path: f.path,
        data: Readable.from([await fs.promises.readFile(f.absolute)]),
        lastModifiedAt: new Date(f.mtimeMs),
      })),
    );
    const tree = await this.#treeResponseFactory.fromReadableArray(entries);
    return {
      files: () => tree.files(),
      archive: () => tree.archive(),
      dir: dirOptions => tree.dir(dirOptions),
      etag,
    };
  }

  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    // The part before the first glob character is the directory to list.
    const decoded = decodeURI(new URL(url).pathname);
    const globAt = decoded.search(/[*?[{]/);
    if (globAt < 0) {
      try {
        const res = await this.readUrl(url);
        return { etag: res.etag ?? '', files: [{ url, content: res.buffer }] };
      } catch (e) {
        if (e instanceof NotFoundError) {
          return { etag: '', files: [] };
        }
        throw e;
      }
    }
    const baseDir = decoded.slice(0, decoded.lastIndexOf('/', globAt) + 1);
    const pattern = decoded.slice(baseDir.length);
    const baseUrl = pathToFileURL(baseDir).href.replace(/\/?$/, '/');
    const { root, files } = await this.#list(baseUrl);
    const matched = files.filter(f => minimatch(f.path, pattern));
    const etag = etagOf(matched);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    return {
      etag,
      files: matched.map(f => ({
        url: pathToFileURL(resolveSafeChildPath(root, f.path)).href,
        content: () => fs.promises.readFile(f.absolute),
        lastModifiedAt: new Date(f.mtimeMs),
      })),
    };
  }

  toString(): string {
    return `folders{${this.#folders.join(',')}}`;
  }
}
