/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import os from 'node:os';
import { dirname, join, posix } from 'node:path';
import { git } from './git';

/** What a 3-way merge of a template change did to each file. @public */
export interface MergeReport {
  /** Files the template changed and the repository had not: replaced by the new version. */
  updated: string[];
  /** Files both sides changed, merged without conflict by `git merge-file`. */
  merged: string[];
  /** Files the new version adds. */
  added: string[];
  /** Files the new version removes and the repository had not changed: deleted. */
  deleted: string[];
  /** Files with conflicts (standard conflict markers in the file), or kept because both sides changed them incompatibly. */
  conflicts: Array<{ path: string; reason: string }>;
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(join(root, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of entries) {
    const child = rel ? posix.join(rel, entry.name) : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== '.git') out.push(...(await listFiles(root, child)));
    } else out.push(child);
  }
  return out;
}

async function read(root: string, path: string): Promise<Buffer | undefined> {
  try {
    return await fs.promises.readFile(resolveSafeChildPath(root, path));
  } catch {
    return undefined;
  }
}

const isBinary = (b?: Buffer) => !!b && b.subarray(0, 8000).includes(0);

/**
 * Applies the change between two renders of a template (`base`: the version the repository was
 * made from, `theirs`: the new version) to a repository checkout (`ours`, changed in place), file by
 * file with `git merge-file`. The repository's own changes are never dropped: overlapping edits
 * become conflicts with standard markers, a file the developer deleted stays deleted, and a file
 * the template removes is only deleted when the developer never changed it.
 *
 * @public
 */
export async function mergeTemplateChange(options: {
  base: string;
  theirs: string;
  ours: string;
  labels: { ours: string; base: string; theirs: string };
}): Promise<MergeReport> {
  const { base, theirs, ours, labels } = options;
  const report: MergeReport = {
    updated: [],
    merged: [],
    added: [],
    deleted: [],
    conflicts: [],
  };
  const paths = [
    ...new Set([...(await listFiles(base)), ...(await listFiles(theirs))]),
  ].sort();
  const tmp = await fs.promises.mkdtemp(join(os.tmpdir(), 'paved-merge-'));
  const empty = join(tmp, 'empty');
  await fs.promises.writeFile(empty, '');
  try {
    for (const path of paths) {
      const b = await read(base, path);
      const t = await read(theirs, path);
      if (b && t && b.equals(t)) continue; // the template did not change it
      const target = resolveSafeChildPath(ours, path);
      const o = await read(ours, path);
      if (t && o && t.equals(o)) continue; // already as the new version has it

      if (!t) {
        // Removed by the new version.
        if (o && b && o.equals(b)) {
          await fs.promises.rm(target);
          report.deleted.push(path);
        } else if (o) {
          report.conflicts.push({
            path,
            reason: 'the new version removes this file, which the repository changed: kept',
          });
        }
        continue;
      }
      if (!o) {
        if (b) {
          report.conflicts.push({
            path,
            reason: 'the repository deleted this file, which the new version changes: left deleted',
          });
        } else {
          await fs.promises.mkdir(dirname(target), { recursive: true });
          await fs.promises.writeFile(target, t);
          report.added.push(path);
        }
        continue;
      }
      if (b && o.equals(b)) {
        await fs.promises.writeFile(target, t);
        report.updated.push(path);
        continue;
      }
      if (isBinary(o) || isBinary(t) || isBinary(b)) {
        report.conflicts.push({
          path,
          reason: 'binary file changed on both sides: kept the repository version',
        });
        continue;
      }
      const result = await git(
        [
          'merge-file',
          '-p',
          '-L',
          `${labels.ours}`,
          '-L',
          `${labels.base}`,
          '-L',
          `${labels.theirs}`,
          target,
          b ? resolveSafeChildPath(base, path) : empty,
          resolveSafeChildPath(theirs, path),
        ],
        { cwd: tmp, allowExitCodes: code => code > 0 && code < 128 },
      );
      await fs.promises.writeFile(target, result.stdout);
      if (result.code > 0) {
        report.conflicts.push({
          path,
          reason: `${result.code} conflicting change${result.code === 1 ? '' : 's'} (conflict markers in the file)`,
        });
      } else {
        report.merged.push(path);
      }
    }
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
  return report;
}
