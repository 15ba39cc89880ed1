/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import { join } from 'node:path';
import yaml from 'yaml';
import { createPavedTemplateRecordAction } from './recordProvenance';
import { examples } from './recordProvenance.examples';

const CATALOG_INFO = `# the service's descriptor
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: invoice-api
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  owner: group:default/orders-team
`;

describe('paved:template:record', () => {
  const dir = createMockDirectory();
  beforeEach(() => dir.setContent({ 'catalog-info.yaml': CATALOG_INFO }));

  const templateInfo = {
    entityRef: 'template:default/typescript-service',
    entity: {
      metadata: {
        name: 'typescript-service',
        annotations: { 'paved.dev/template-version': '1.0.0' },
      },
    },
  };

  it('writes .paved/template.json without secrets and annotates the component', async () => {
    const ctx = createMockActionContext({
      workspacePath: dir.path,
      templateInfo,
      input: {
        catalogInfoPath: 'catalog-info.yaml',
        targetPath: '.',
        values: {
          name: 'invoice-api',
          database: true,
          apiToken: 'x',
          dbPassword: 'y',
        },
      },
    });
    await createPavedTemplateRecordAction().handler(ctx);

    const record = fs.readFileSync(join(dir.path, '.paved/template.json'), 'utf8');
    expect(JSON.parse(record)).toEqual({
      template: 'template:default/typescript-service',
      version: '1.0.0',
      values: { database: true, name: 'invoice-api' },
    });
    const text = fs.readFileSync(join(dir.path, 'catalog-info.yaml'), 'utf8');
    expect(text).toContain("# the service's descriptor");
    expect(yaml.parse(text).metadata.annotations).toEqual({
      'backstage.io/techdocs-ref': 'dir:.',
      'paved.dev/template': 'template:default/typescript-service',
      'paved.dev/template-version': '1.0.0',
      'backstage.io/source-template': 'template:default/typescript-service',
    });
    expect(ctx.output).toHaveBeenCalledWith('version', '1.0.0');
  });

  it('refuses a template without a version', async () => {
    const ctx = createMockActionContext({
      workspacePath: dir.path,
      templateInfo: { entityRef: 'template:default/x', entity: { metadata: { name: 'x' } } },
      input: { values: {}, catalogInfoPath: 'catalog-info.yaml', targetPath: '.' },
    });
    await expect(createPavedTemplateRecordAction().handler(ctx)).rejects.toThrow(
      /paved.dev\/template-version/,
    );
  });

  it.each(examples.map(e => [e.description, e] as const))('example: %s', async (_d, example) => {
    const step = yaml.parse(example.example).steps[0];
    const ctx = createMockActionContext({
      workspacePath: dir.path,
      templateInfo,
      input: { catalogInfoPath: 'catalog-info.yaml', targetPath: '.', ...step.input },
    });
    await createPavedTemplateRecordAction().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('path', '.paved/template.json');
  });
});
