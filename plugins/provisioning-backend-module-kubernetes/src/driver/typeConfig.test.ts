/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import { InputError } from '@backstage/errors';
import { crossplaneType } from '../__testUtils__/fixtures';
import { KubernetesCluster } from '../cluster/KubernetesCluster';
import { KubernetesDriver } from './KubernetesDriver';
import { renderTemplate } from './template';
import { parseKubernetesTypeConfig } from './typeConfig';

function withDriverConfig(patch: Record<string, unknown>) {
  const type = crossplaneType();
  return { ...type, driverConfig: { ...type.driverConfig, ...patch } };
}

function withManifest(manifest: Record<string, unknown>) {
  return withDriverConfig({ manifest });
}

describe('validateType (config load)', () => {
  const driver = KubernetesDriver.create({
    clusters: [
      KubernetesCluster.fromConfig(
        {
          name: 'test',
          url: 'http://127.0.0.1:9',
          skipTLSVerify: true,
          serviceAccountToken: 't',
          inCluster: false,
        },
        { requestTimeoutMs: 1000 },
      ),
    ],
    deleteTimeoutMs: 1000,
    deletePollIntervalMs: 10,
    waitForReady: false,
  });

  it('accepts the documented Crossplane example', () => {
    expect(() => driver.validateType(crossplaneType())).not.toThrow();
    expect(parseKubernetesTypeConfig(crossplaneType(), ['test'])).toMatchObject(
      {
        cluster: 'test',
        namespace: 'team-dbs',
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'PostgreSQLInstance',
        parametersAsSpec: false,
        outputs: { host: 'status.address' },
      },
    );
  });

  it.each([
    [
      'a manifest in another namespace',
      withManifest({ metadata: { namespace: 'kube-system' } }),
      "manifest.metadata.namespace must be 'team-dbs'",
    ],
    [
      'a templated namespace',
      withManifest({ metadata: { namespace: '${{ parameters.ns }}' } }),
      "manifest.metadata.namespace must be 'team-dbs'",
    ],
    [
      'a fixed name',
      withManifest({ metadata: { name: 'fixed' } }),
      'manifest.metadata.name is set by the driver',
    ],
    [
      'owner references',
      withManifest({ metadata: { ownerReferences: [] } }),
      'manifest.metadata.ownerReferences is set by the driver',
    ],
    [
      'a different kind in the manifest',
      withManifest({ kind: 'ClusterRole' }),
      "manifest.kind must be 'PostgreSQLInstance'",
    ],
    [
      'a List',
      withManifest({ items: [{ kind: 'Namespace' }] }),
      'manifest must be a single object',
    ],
    [
      'a Namespace',
      withDriverConfig({ kind: 'Namespace', apiVersion: 'v1' }),
      "kind 'Namespace' is cluster-scoped",
    ],
    [
      'a ClusterRoleBinding',
      withDriverConfig({
        kind: 'ClusterRoleBinding',
        apiVersion: 'rbac.authorization.k8s.io/v1',
      }),
      "kind 'ClusterRoleBinding' is cluster-scoped",
    ],
    [
      'a CRD',
      withDriverConfig({
        kind: 'CustomResourceDefinition',
        apiVersion: 'apiextensions.k8s.io/v1',
      }),
      "kind 'CustomResourceDefinition' is cluster-scoped",
    ],
    [
      'any Cluster* kind',
      withDriverConfig({ kind: 'ClusterIssuerThing' }),
      "kind 'ClusterIssuerThing' is cluster-scoped",
    ],
    [
      'an unknown cluster',
      withDriverConfig({ cluster: 'prod' }),
      "driverConfig.cluster 'prod' is not a configured cluster (test)",
    ],
    [
      'a bad namespace',
      withDriverConfig({ namespace: '../etc' }),
      'driverConfig.namespace must be a namespace name',
    ],
    [
      'code in a placeholder',
      withManifest({ spec: { x: '${{ process.exit(1) }}' } }),
      "unsupported placeholder '${{ process.exit(1) }}'",
    ],
    [
      'an output outside status',
      withDriverConfig({ outputs: { token: 'metadata.annotations.x' } }),
      'driverConfig.outputs.token must be a dotted path under status',
    ],
    [
      'no driverConfig',
      { ...crossplaneType(), driverConfig: undefined },
      'driverConfig with cluster, namespace, apiVersion, kind and manifest is required',
    ],
  ])('refuses %s', (_name, type, message) => {
    let error: unknown;
    try {
      driver.validateType(type as any);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toContain(
      "Resource type 'postgresql-crossplane'",
    );
  });
});

describe('renderTemplate', () => {
  const ctx = {
    parameters: { size: 'small', storageGB: 20, tags: { a: 'b' }, ha: false },
    resource: {
      name: 'orders-db',
      id: 'id-1',
      owner: 'group:default/orders-team',
      ownerName: 'orders-team',
    },
    namespace: 'team-dbs',
  };

  it('keeps types for whole placeholders, inserts text inside strings and drops missing values', () => {
    expect(
      renderTemplate(
        {
          spec: {
            storageGB: '${{ parameters.storageGB }}',
            ha: '${{ parameters.ha }}',
            tags: '${{ parameters.tags }}',
            all: '${{parameters}}',
            secret: '${{ resource.name }}-conn',
            label: 'team=${{ resource.ownerName }},ns=${{ namespace }}',
            missing: '${{ parameters.nope }}',
            list: ['${{ parameters.size }}', '${{ parameters.nope }}', 3],
          },
        },
        ctx,
      ),
    ).toEqual({
      spec: {
        storageGB: 20,
        ha: false,
        tags: { a: 'b' },
        all: ctx.parameters,
        secret: 'orders-db-conn',
        label: 'team=orders-team,ns=team-dbs',
        list: ['small', 3],
      },
    });
  });

  it('never reaches outside the context', () => {
    expect(
      renderTemplate(
        {
          x: '${{ parameters.constructor }}',
          y: '${{ parameters.__proto__ }}',
        },
        ctx,
      ),
    ).toEqual({});
  });

  it('refuses to insert an object into text', () => {
    expect(() =>
      renderTemplate({ x: 'tags: ${{ parameters.tags }}' }, ctx),
    ).toThrow(InputError);
  });
});
