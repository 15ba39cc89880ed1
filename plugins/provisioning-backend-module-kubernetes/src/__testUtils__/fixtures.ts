/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import type { ResourceTypeDefinition } from '@paved/backstage-plugin-provisioning-common';
import type { FakeKind } from './FakeKubeApiServer';

// Response shapes as Crossplane and Kratix document them (Crossplane v1 getting-started
// `xpostgresqlinstances.database.example.org` with claim `PostgreSQLInstance`; Kratix marketplace `postgresql`).

export const XRD_KIND: FakeKind = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'CompositeResourceDefinition',
  plural: 'compositeresourcedefinitions',
  namespaced: false,
};
export const PROMISE_KIND: FakeKind = {
  apiVersion: 'platform.kratix.io/v1alpha1',
  kind: 'Promise',
  plural: 'promises',
  namespaced: false,
};
export const CLAIM_KIND: FakeKind = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  plural: 'postgresqlinstances',
  namespaced: true,
};
export const XR_KIND: FakeKind = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'XPostgreSQLInstance',
  plural: 'xpostgresqlinstances',
  namespaced: false,
};
export const KRATIX_REQUEST_KIND: FakeKind = {
  apiVersion: 'marketplace.kratix.io/v1alpha1',
  kind: 'postgresql',
  plural: 'postgresqls',
  namespaced: true,
};

export const postgresXrd = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'CompositeResourceDefinition',
  metadata: {
    name: 'xpostgresqlinstances.database.example.org',
    labels: { 'paved.dev/offer': 'true' },
    annotations: { 'paved.dev/title': 'PostgreSQL (Crossplane)' },
  },
  spec: {
    group: 'database.example.org',
    names: { kind: 'XPostgreSQLInstance', plural: 'xpostgresqlinstances' },
    claimNames: { kind: 'PostgreSQLInstance', plural: 'postgresqlinstances' },
    connectionSecretKeys: ['username', 'password', 'endpoint', 'port'],
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        referenceable: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  parameters: {
                    type: 'object',
                    properties: {
                      storageGB: { type: 'integer', minimum: 10, default: 20 },
                      version: {
                        type: 'string',
                        enum: ['14', '15', '16'],
                        default: '16',
                      },
                      size: {
                        type: 'string',
                        enum: ['small', 'medium', 'large'],
                        default: 'small',
                      },
                    },
                    required: ['storageGB'],
                  },
                },
                required: ['parameters'],
              },
            },
          },
        },
      },
    ],
  },
};

export const kratixPromise = {
  apiVersion: 'platform.kratix.io/v1alpha1',
  kind: 'Promise',
  metadata: { name: 'postgresql', labels: { 'paved.dev/offer': 'true' } },
  spec: {
    api: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'postgresqls.marketplace.kratix.io' },
      spec: {
        group: 'marketplace.kratix.io',
        names: {
          kind: 'postgresql',
          plural: 'postgresqls',
          singular: 'postgresql',
        },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      dbName: {
                        type: 'string',
                        default: 'postgres',
                        description: 'Database name.',
                      },
                      env: {
                        type: 'string',
                        default: 'dev',
                        pattern: '^(dev|prod)$',
                      },
                      teamId: { type: 'string', default: 'acid' },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    },
  },
};

/** A claim status as Crossplane reports it when the composite is ready. */
export const crossplaneReadyStatus = {
  conditions: [
    {
      type: 'Synced',
      status: 'True',
      reason: 'ReconcileSuccess',
      lastTransitionTime: '2026-01-01T00:00:05Z',
    },
    {
      type: 'Ready',
      status: 'True',
      reason: 'Available',
      lastTransitionTime: '2026-01-01T00:01:00Z',
    },
  ],
  connectionDetails: { lastPublishedTime: '2026-01-01T00:01:00Z' },
  address: 'my-db.cx1.eu-west-1.rds.amazonaws.com',
};

/** Kratix request status once the configure workflow completed, with a health record. */
export const kratixReadyStatus = {
  message: 'Resource requested',
  observedGeneration: 1,
  conditions: [
    {
      type: 'ConfigureWorkflowCompleted',
      status: 'True',
      reason: 'PipelineCompleted',
      message: 'Pipeline completed',
      lastTransitionTime: '2026-01-01T00:02:00Z',
    },
  ],
  healthRecord: { state: 'healthy', lastRun: 1767225720, details: [] },
};

/** The hand-written Crossplane example type (as in app-config.kubernetes.example.yaml). */
export function crossplaneType(cluster = 'test'): ResourceTypeDefinition {
  return {
    id: 'postgresql-crossplane',
    title: 'PostgreSQL (Crossplane claim)',
    description:
      'A PostgreSQL instance via the Crossplane PostgreSQLInstance claim',
    driver: 'kubernetes',
    parameters: {
      type: 'object',
      properties: {
        size: { type: 'string', enum: ['small', 'large'], default: 'small' },
        storageGB: { type: 'integer', minimum: 10, default: 20 },
      },
      required: ['size'],
      additionalProperties: false,
    },
    pricing: { small: 30, large: 120 },
    policy: { approvalRequiredForSizes: ['large'] },
    repairDrift: false,
    entityType: 'database',
    driverConfig: {
      cluster,
      namespace: 'team-dbs',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      manifest: {
        metadata: { labels: { 'paved.dev/size': '${{ parameters.size }}' } },
        spec: {
          parameters: { storageGB: '${{ parameters.storageGB }}' },
          compositionSelector: { matchLabels: { provider: 'aws' } },
          writeConnectionSecretToRef: { name: '${{ resource.name }}-conn' },
        },
      },
      outputs: { host: 'status.address' },
    },
  };
}
