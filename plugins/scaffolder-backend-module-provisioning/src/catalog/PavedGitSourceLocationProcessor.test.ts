/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { PavedGitSourceLocationProcessor } from './PavedGitSourceLocationProcessor';

describe('PavedGitSourceLocationProcessor', () => {
  const processor = new PavedGitSourceLocationProcessor({
    internalBaseUrl: 'http://localhost:7007/api/scaffolder',
    externalBaseUrl: 'https://portal.example/api/scaffolder',
  });
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'invoice-api', annotations: {} as Record<string, string> },
  };

  it('points source-location of embedded repositories at the clone URL', async () => {
    const out = await processor.preProcessEntity(entity, {
      type: 'url',
      target: 'http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/catalog-info.yaml',
    });
    expect(out.metadata.annotations?.['backstage.io/source-location']).toBe(
      'url:https://portal.example/api/scaffolder/paved-git/invoice-api.git',
    );
  });

  it('pins a dir: TechDocs ref to the directory it names (TechDocs resolves dir: against the source-location)', async () => {
    const withDocs = {
      ...entity,
      metadata: { ...entity.metadata, annotations: { 'backstage.io/techdocs-ref': 'dir:.' } },
    };
    const out = await processor.preProcessEntity(withDocs, {
      type: 'url',
      target: 'http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/catalog-info.yaml',
    });
    expect(out.metadata.annotations).toEqual({
      'backstage.io/techdocs-ref': 'url:http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/',
      'backstage.io/source-location': 'url:https://portal.example/api/scaffolder/paved-git/invoice-api.git',
    });
    const nested = await processor.preProcessEntity(
      { ...withDocs, metadata: { ...withDocs.metadata, annotations: { 'backstage.io/techdocs-ref': 'dir:./site' } } },
      { type: 'url', target: 'http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/catalog-info.yaml' },
    );
    expect(nested.metadata.annotations?.['backstage.io/techdocs-ref']).toBe(
      'url:http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/site',
    );
  });

  it('leaves templates alone (the scaffolder reads their files relative to the source location)', async () => {
    const template = { ...entity, kind: 'Template' };
    expect(
      await processor.preProcessEntity(template, {
        type: 'url',
        target: 'http://localhost:7007/api/scaffolder/paved-git/templates/raw/main/template.yaml',
      }),
    ).toBe(template);
  });

  it('leaves other locations and declared annotations alone', async () => {
    const github = await processor.preProcessEntity(entity, {
      type: 'url',
      target: 'https://github.com/acme/x/blob/main/catalog-info.yaml',
    });
    expect(github).toBe(entity);
    const declared = {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: { 'backstage.io/source-location': 'url:https://github.com/acme/x' },
      },
    };
    expect(
      await processor.preProcessEntity(declared, {
        type: 'url',
        target: 'http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/catalog-info.yaml',
      }),
    ).toBe(declared);
  });
});
