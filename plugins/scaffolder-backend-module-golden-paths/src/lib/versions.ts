/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError, NotFoundError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { join, posix } from 'node:path';
import yaml from 'yaml';
import { z } from 'zod';

/** Annotation of a Template entity with its semantic version. @public */
export const TEMPLATE_VERSION_ANNOTATION = 'paved.dev/template-version';
/** Annotation of a component with the template that made it. @public */
export const TEMPLATE_ANNOTATION = 'paved.dev/template';
/** Backstage's own annotation of the template a component came from. @public */
export const SOURCE_TEMPLATE_ANNOTATION = 'backstage.io/source-template';
/** Name of the manifest of released versions next to a template.yaml. @public */
export const VERSIONS_FILE = 'versions.yaml';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

const versionsSchema = z.object({
  versions: z
    .array(
      z.object({
        version: z.string().regex(SEMVER, 'a semantic version such as 2.0.0'),
        skeleton: z
          .string()
          .regex(/^[a-z0-9][a-z0-9._/-]*$/)
          .refine(p => !p.split('/').includes('..'), 'stays in the template'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        changes: z.array(z.string()).default([]),
      }),
    )
    .min(1),
});

/** One released version of a template's skeleton. @public */
export interface TemplateVersion {
  /** Semantic version, e.g. `2.0.0`. */
  version: string;
  /** Directory of the skeleton, relative to the template.yaml. */
  skeleton: string;
  /** Content hash of the skeleton (see {@link hashSkeleton}). */
  sha256: string;
  /** What changed in this version, one line each (shown to service owners). */
  changes: string[];
}

/** Compares two semantic versions: negative, 0 or positive. @public */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  }
  return 0;
}

/**
 * Parses `versions.yaml` of a template. Versions are returned oldest first.
 * Throws InputError when it is malformed.
 * @public
 */
export function parseVersions(text: string): TemplateVersion[] {
  const parsed = versionsSchema.safeParse(yaml.parse(text));
  if (!parsed.success) {
    throw new InputError(`Invalid ${VERSIONS_FILE}: ${parsed.error.message}`);
  }
  const versions = [...parsed.data.versions].sort((a, b) =>
    compareVersions(a.version, b.version),
  );
  for (let i = 1; i < versions.length; i++) {
    if (versions[i].version === versions[i - 1].version) {
      throw new InputError(
        `Invalid ${VERSIONS_FILE}: version ${versions[i].version} appears twice`,
      );
    }
  }
  return versions;
}

/** Reads `versions.yaml` from a template directory on disk. @public */
export async function readVersions(
  templateDir: string,
): Promise<TemplateVersion[]> {
  let text: string;
  try {
    text = await fs.promises.readFile(join(templateDir, VERSIONS_FILE), 'utf8');
  } catch {
    throw new NotFoundError(`The template has no ${VERSIONS_FILE}`);
  }
  return parseVersions(text);
}

/** Finds a version, or throws NotFoundError. @public */
export function findVersion(
  versions: TemplateVersion[],
  version: string,
): TemplateVersion {
  const found = versions.find(v => v.version === version);
  if (!found) {
    throw new NotFoundError(
      `Version ${version} of the template is not released (known: ${versions
        .map(v => v.version)
        .join(', ')})`,
    );
  }
  return found;
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const entries = await fs.promises.readdir(join(root, rel), {
    withFileTypes: true,
  });
  const out: string[] = [];
  for (const entry of entries) {
    const child = rel ? posix.join(rel, entry.name) : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, child)));
    else out.push(child);
  }
  return out;
}

/**
 * Content hash of a skeleton directory: sha256 over every file's path and content, in path order.
 * Any change to a file, a file name or the set of files changes it.
 * @public
 */
export async function hashSkeleton(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await listFiles(dir)).sort();
  for (const file of files) {
    const content = await fs.promises.readFile(join(dir, file));
    hash.update(`${file}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}
