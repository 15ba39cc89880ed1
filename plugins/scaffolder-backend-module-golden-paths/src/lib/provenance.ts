/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import { dirname } from 'node:path';
import yaml from 'yaml';
import { z } from 'zod';
import {
  SOURCE_TEMPLATE_ANNOTATION,
  TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from './versions';

/** Path of the provenance record in a generated repository. @public */
export const PROVENANCE_PATH = '.paved/template.json';

/** Keys that are never recorded, whatever the template passes (case-insensitive substring). */
const SECRET_KEY = /secret|password|passwd|token|credential|private[-_]?key/i;

/**
 * The provenance record `.paved/template.json`: which template and version made the repository,
 * and the values the skeleton was rendered with (never secrets).
 * @public
 */
export interface Provenance {
  /** Entity ref of the template, e.g. `template:default/typescript-service`. */
  template: string;
  /** Semantic version of the template's skeleton. */
  version: string;
  /** The non-secret values the skeleton was rendered with. */
  values: Record<string, unknown>;
}

const provenanceSchema = z.object({
  template: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  values: z.record(z.unknown()),
});

/** Drops values whose key names a secret. @public */
export function nonSecretValues(
  values: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(
      ([key, value]) => !SECRET_KEY.test(key) && value !== undefined,
    ),
  );
}

/** Parses a `.paved/template.json`; throws InputError when it is not one. @public */
export function parseProvenance(text: string): Provenance {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${PROVENANCE_PATH} is not JSON`);
  }
  const parsed = provenanceSchema.safeParse(json);
  if (!parsed.success) {
    throw new InputError(
      `${PROVENANCE_PATH} is not a provenance record: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

/** Serialises a provenance record the way it is committed (stable key order, final newline). @public */
export function stringifyProvenance(p: Provenance): string {
  const values = Object.fromEntries(
    Object.keys(p.values)
      .sort()
      .map(k => [k, p.values[k]]),
  );
  return `${JSON.stringify(
    { template: p.template, version: p.version, values },
    null,
    2,
  )}\n`;
}

/**
 * Writes the provenance into a rendered directory: `.paved/template.json`, and the annotations
 * `paved.dev/template`, `paved.dev/template-version` and `backstage.io/source-template` on the
 * catalog descriptor (comments and layout of the file are kept).
 * @public
 */
export async function writeProvenance(options: {
  dir: string;
  provenance: Provenance;
  /** Path of the catalog descriptor inside `dir` (default `catalog-info.yaml`); skipped when absent. */
  catalogInfoPath?: string;
}): Promise<{ annotated: boolean }> {
  const { dir } = options;
  const provenance = {
    ...options.provenance,
    values: nonSecretValues(options.provenance.values),
  };
  const target = resolveSafeChildPath(dir, PROVENANCE_PATH);
  await fs.promises.mkdir(dirname(target), { recursive: true });
  await fs.promises.writeFile(target, stringifyProvenance(provenance));

  const catalogInfo = resolveSafeChildPath(
    dir,
    options.catalogInfoPath ?? 'catalog-info.yaml',
  );
  let text: string;
  try {
    text = await fs.promises.readFile(catalogInfo, 'utf8');
  } catch {
    return { annotated: false };
  }
  const docs = yaml.parseAllDocuments(text);
  for (const doc of docs) {
    if (doc.errors.length) {
      throw new InputError(
        `${options.catalogInfoPath ?? 'catalog-info.yaml'} is not valid YAML: ${doc.errors[0].message}`,
      );
    }
    if (doc.get('kind') !== 'Component') continue;
    doc.setIn(['metadata', 'annotations', TEMPLATE_ANNOTATION], provenance.template);
    doc.setIn(
      ['metadata', 'annotations', TEMPLATE_VERSION_ANNOTATION],
      provenance.version,
    );
    doc.setIn(
      ['metadata', 'annotations', SOURCE_TEMPLATE_ANNOTATION],
      provenance.template,
    );
  }
  await fs.promises.writeFile(
    catalogInfo,
    docs
      .map((d, i) => {
        const out = d.toString();
        return i > 0 && !out.startsWith('---') ? `---\n${out}` : out;
      })
      .join(''),
  );
  return { annotated: true };
}
