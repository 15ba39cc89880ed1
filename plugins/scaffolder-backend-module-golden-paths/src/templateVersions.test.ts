/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import fs from 'node:fs';
import { join, resolve } from 'node:path';
import yaml from 'yaml';
import {
  hashSkeleton,
  readVersions,
  TEMPLATE_VERSION_ANNOTATION,
  VERSIONS_FILE,
} from './lib/versions';

const TEMPLATES = resolve(__dirname, '../../../templates');
const versioned = fs
  .readdirSync(TEMPLATES)
  .filter(d => fs.existsSync(join(TEMPLATES, d, VERSIONS_FILE)));

describe('versioned templates', () => {
  it('include the TypeScript HTTP service', () => {
    expect(versioned).toContain('typescript-service');
  });

  describe.each(versioned)('%s', name => {
    const dir = join(TEMPLATES, name);
    const template = yaml.parse(
      fs.readFileSync(join(dir, 'template.yaml'), 'utf8'),
    );

    it('declares as its version the newest release, whose skeleton is ./skeleton', async () => {
      const versions = await readVersions(dir);
      const newest = versions[versions.length - 1];
      expect(template.metadata.annotations[TEMPLATE_VERSION_ANNOTATION]).toBe(
        newest.version,
      );
      expect(newest.skeleton).toBe('skeleton');
      const fetch = template.spec.steps.find(
        (s: { action: string }) => s.action === 'fetch:template',
      );
      expect(fetch.input.url).toBe('./skeleton');
    });

    it('records the provenance right after rendering the skeleton, with the same values', () => {
      const steps = template.spec.steps as Array<{ action: string; input: any }>;
      const fetchIndex = steps.findIndex(s => s.action === 'fetch:template');
      const record = steps[fetchIndex + 1];
      expect(record.action).toBe('paved:template:record');
      expect(record.input.values).toEqual(steps[fetchIndex].input.values);
    });

    it('has an unchanged skeleton for every released version (bump the version to change one)', async () => {
      const versions = await readVersions(dir);
      for (const v of versions) {
        const actual = await hashSkeleton(join(dir, v.skeleton));
        expect({ version: v.version, sha256: actual }).toEqual({
          version: v.version,
          sha256: v.sha256,
        });
      }
    });
  });
});
