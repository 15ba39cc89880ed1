/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { KubernetesCluster } from './cluster/KubernetesCluster';
import { readKubernetesDriverConfig } from './config';
import { KubernetesDriver } from './driver/KubernetesDriver';

function read(kubernetes: any) {
  return readKubernetesDriverConfig(
    new ConfigReader({ provisioning: { drivers: { kubernetes } } }),
  );
}

describe('readKubernetesDriverConfig', () => {
  it('returns undefined when nothing is configured', () => {
    expect(readKubernetesDriverConfig(new ConfigReader({}))).toBeUndefined();
    expect(read({ discovery: { enabled: true } })).toBeUndefined();
    expect(read({ clusters: [] })).toBeUndefined();
  });

  it('reads clusters, discovery, schedules, timeouts and type overrides with defaults', () => {
    const config = read({
      clusters: [
        {
          name: 'platform',
          url: 'https://k8s.example.com:6443/',
          caData: 'Q0E=',
          serviceAccountToken: 'tok',
        },
      ],
      discovery: { enabled: true },
      types: {
        postgresql: {
          title: 'PostgreSQL',
          pricing: { small: 25, large: 100 },
          policy: { approvalRequiredForSizes: ['large'], quotaPerOwner: 3 },
        },
      },
    })!;
    expect(config.clusters).toEqual([
      {
        name: 'platform',
        url: 'https://k8s.example.com:6443',
        caData: 'Q0E=',
        skipTLSVerify: false,
        serviceAccountToken: 'tok',
        inCluster: false,
      },
    ]);
    expect(config.discovery).toEqual({
      enabled: true,
      labelSelector: 'paved.dev/offer=true',
      cluster: 'platform',
      namespace: 'default',
      schedule: {
        frequency: { minutes: 5 },
        timeout: { minutes: 2 },
        initialDelay: { seconds: 5 },
      },
    });
    expect(config.watch.enabled).toBe(true);
    expect(config.requestTimeoutMs).toBe(30_000);
    expect(config.deleteTimeoutMs).toBe(300_000);
    expect(config.deletePollIntervalMs).toBe(2_000);
    expect(config.types.postgresql).toEqual({
      title: 'PostgreSQL',
      description: undefined,
      pricing: { small: 25, large: 100 },
      policy: { approvalRequiredForSizes: ['large'], quotaPerOwner: 3 },
      repairDrift: undefined,
      entityType: undefined,
    });
  });

  it('reads in-cluster mode and human durations', () => {
    const config = read({
      inCluster: true,
      deleteTimeout: { minutes: 1 },
      requestTimeout: '10s',
      discovery: {
        schedule: { frequency: { minutes: 1 }, timeout: { seconds: 30 } },
        labelSelector: 'team=platform',
      },
    })!;
    expect(config.clusters).toEqual([
      { name: 'in-cluster', inCluster: true, skipTLSVerify: false },
    ]);
    expect(config.deleteTimeoutMs).toBe(60_000);
    expect(config.requestTimeoutMs).toBe(10_000);
    expect(config.discovery.enabled).toBe(false);
    expect(config.discovery.labelSelector).toBe('team=platform');
    expect(config.discovery.schedule).toEqual({
      frequency: { minutes: 1 },
      timeout: { seconds: 30 },
    });
  });

  it.each([
    [
      {
        clusters: [
          { name: 'Bad_Name', url: 'https://x', serviceAccountToken: 't' },
        ],
      },
      "name 'Bad_Name' must be a DNS label",
    ],
    [
      {
        clusters: [
          { name: 'a', url: 'https://x', serviceAccountToken: 't' },
          { name: 'a', url: 'https://y', serviceAccountToken: 't' },
        ],
      },
      "duplicate cluster name 'a'",
    ],
    [
      { clusters: [{ name: 'a', url: 'ftp://x', serviceAccountToken: 't' }] },
      'must be an http(s) URL',
    ],
    [
      { clusters: [{ name: 'a', url: 'https://x' }] },
      "Missing required config value at 'provisioning.drivers.kubernetes.clusters[0].serviceAccountToken'",
    ],
    [
      {
        clusters: [{ name: 'a', url: 'https://x', serviceAccountToken: 't' }],
        discovery: { cluster: 'b' },
      },
      "unknown cluster 'b'",
    ],
  ])('refuses invalid config %#', (kubernetes, message) => {
    expect(() => read(kubernetes)).toThrow(message);
  });
});

describe('the example offerings in app-config.yaml', () => {
  it('are read and accepted by the driver, with manifests rendering like the projects’ published examples', () => {
    const appConfig = parse(
      readFileSync(resolve(__dirname, '../../../app-config.yaml'), 'utf8'),
    );
    const kubernetes = appConfig.provisioning.drivers.kubernetes;
    expect(read(kubernetes)).toBeUndefined(); // no cluster: disabled

    const config = read({
      ...kubernetes,
      clusters: [
        {
          name: 'platform',
          url: 'https://k8s.example.com',
          serviceAccountToken: 't',
        },
      ],
    })!;
    expect(config.offerings.map(o => o.id)).toEqual([
      'postgresql-crossplane',
      'postgresql-kratix',
    ]);
    const driver = KubernetesDriver.create({
      clusters: config.clusters.map(c =>
        KubernetesCluster.fromConfig(c, { requestTimeoutMs: 1000 }),
      ),
      deleteTimeoutMs: 1000,
      deletePollIntervalMs: 100,
      waitForReady: false,
    });
    for (const type of config.offerings) {
      expect(() => driver.validateType(type)).not.toThrow();
    }
    const base = { id: 'id-1', name: 'my-db', owner: 'group:default/acid' };
    expect(
      driver.buildManifest({
        ...base,
        type: config.offerings[0],
        parameters: { size: 'small', storageGB: 20 },
      }),
    ).toMatchObject({
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      metadata: { name: 'my-db', namespace: 'paved-resources' },
      spec: {
        parameters: { storageGB: 20 },
        compositionSelector: { matchLabels: { provider: 'aws' } },
        writeConnectionSecretToRef: { name: 'my-db-conn' },
      },
    });
    expect(
      driver.buildManifest({
        ...base,
        type: config.offerings[1],
        parameters: { env: 'prod' },
      }),
    ).toMatchObject({
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'postgresql',
      metadata: { name: 'my-db', namespace: 'paved-resources' },
      spec: { env: 'prod', teamId: 'acid', dbName: 'my-db' },
    });
  });
});
