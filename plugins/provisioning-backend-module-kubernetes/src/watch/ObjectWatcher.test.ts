/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import { mockServices } from '@backstage/backend-test-utils';
import type {
  DriverContext,
  DriverResource,
} from '@paved/backstage-plugin-provisioning-node';
import { KubernetesCluster } from '../cluster/KubernetesCluster';
import { KubernetesDriver } from '../driver/KubernetesDriver';
import { FakeKubeApiServer } from '../__testUtils__/FakeKubeApiServer';
import {
  CLAIM_KIND,
  crossplaneReadyStatus,
  crossplaneType,
} from '../__testUtils__/fixtures';
import { ObjectWatcher } from './ObjectWatcher';

const COLLECTION =
  '/apis/database.example.org/v1alpha1/namespaces/team-dbs/postgresqlinstances';
const OBJECT = `${COLLECTION}/orders-db`;

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 10));
  }
}

describe('ObjectWatcher', () => {
  let server: FakeKubeApiServer;
  let watcher: ObjectWatcher;
  let driver: KubernetesDriver;
  const ctx: DriverContext = {
    logger: mockServices.logger.mock(),
    signal: new AbortController().signal,
    secrets: {},
  };
  const resource: DriverResource = {
    id: 'res-1',
    name: 'orders-db',
    type: {
      ...crossplaneType(),
      driverConfig: {
        ...crossplaneType().driverConfig,
        connectionSecret: undefined,
        manifest: {
          spec: { parameters: { storageGB: '${{ parameters.storageGB }}' } },
        },
      },
    },
    owner: 'group:default/orders-team',
    parameters: { size: 'small', storageGB: 20 },
  };
  const watchRequests = () =>
    server.requests.filter(
      r => r.path === COLLECTION && r.query.watch === 'true',
    );
  const listRequests = () =>
    server.requests.filter(
      r => r.path === COLLECTION && r.query.watch === undefined,
    );
  const objectGets = () =>
    server.requests.filter(r => r.method === 'GET' && r.path === OBJECT);

  beforeEach(async () => {
    server = await FakeKubeApiServer.start();
    server.addKind(CLAIM_KIND);
    const cluster = KubernetesCluster.fromConfig(
      {
        name: 'test',
        url: server.url,
        skipTLSVerify: true,
        serviceAccountToken: 'test-token',
        inCluster: false,
      },
      { requestTimeoutMs: 3000 },
    );
    watcher = ObjectWatcher.create({
      logger: mockServices.logger.mock(),
      minBackoffMs: 20,
      maxBackoffMs: 100,
    });
    driver = KubernetesDriver.create({
      clusters: [cluster],
      watcher,
      deleteTimeoutMs: 1000,
      deletePollIntervalMs: 20,
      waitForReady: false,
    });
  });

  afterEach(async () => {
    watcher.stop();
    await server.stop();
  });

  it('lists, then watches with the list resourceVersion, label selector and bookmarks; observe is served from the cache', async () => {
    await driver.apply(resource, ctx);
    await waitFor(() => server.openWatches === 1, 'the watch to open');

    const list = listRequests()[0];
    expect(list.query).toMatchObject({
      labelSelector: 'paved.dev/resource-id',
      limit: '500',
    });
    const watch = watchRequests()[0];
    expect(watch.method).toBe('GET');
    expect(watch.query).toMatchObject({
      watch: 'true',
      allowWatchBookmarks: 'true',
      labelSelector: 'paved.dev/resource-id',
      timeoutSeconds: '300',
    });
    expect(Number(watch.query.resourceVersion)).toBeGreaterThan(0);

    server.setStatus(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
      crossplaneReadyStatus,
    );
    await waitFor(
      () =>
        (
          watcher.lookup(
            'test',
            CLAIM_KIND.apiVersion,
            'PostgreSQLInstance',
            'team-dbs',
            'orders-db',
          )?.status as any
        )?.conditions !== undefined,
      'the status to arrive over the watch',
    );
    const getsBefore = objectGets().length;
    await expect(driver.observe(resource, ctx)).resolves.toMatchObject({
      status: 'ready',
      outputs: { host: crossplaneReadyStatus.address },
    });
    expect(objectGets().length).toBe(getsBefore); // no GET: cache hit

    // A bookmark moves the resourceVersion; a server-side close resumes from it without relisting.
    server.bookmark();
    const bookmarkRv = server.resourceVersion;
    await new Promise(r => setTimeout(r, 50));
    const listsBefore = listRequests().length;
    server.closeWatches();
    await waitFor(
      () => watchRequests().length === 2 && server.openWatches === 1,
      'the watch to reconnect',
    );
    expect(watchRequests()[1].query.resourceVersion).toBe(bookmarkRv);
    expect(listRequests().length).toBe(listsBefore);
  });

  it('relists after 410 Gone and keeps serving fresh state', async () => {
    await driver.apply(resource, ctx);
    await waitFor(() => server.openWatches === 1, 'the watch to open');
    const listsBefore = listRequests().length;

    server.compact(); // open watch receives ERROR 410
    await waitFor(
      () => watcher.stats.relistsAfterGone === 1 && server.openWatches === 1,
      'relist and re-watch',
    );
    expect(listRequests().length).toBe(listsBefore + 1);

    server.setStatus(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
      crossplaneReadyStatus,
    );
    await waitFor(
      () =>
        (watcher.lookup(
          'test',
          CLAIM_KIND.apiVersion,
          'PostgreSQLInstance',
          'team-dbs',
          'orders-db',
        )?.status as any) !== undefined,
      'the status after relist',
    );

    // Reconnecting from a compacted resourceVersion also gets 410 and relists.
    server.compact();
    await waitFor(
      () => watcher.stats.relistsAfterGone === 2 && server.openWatches === 1,
      'second relist',
    );
  });

  it('falls back to GET while the cache is cold or the cluster is unreachable, and resyncs on demand', async () => {
    await driver.apply(resource, ctx);
    watcher.stop(); // cold cache: every observe must GET
    const getsBefore = objectGets().length;
    await expect(driver.observe(resource, ctx)).resolves.toMatchObject({
      status: 'pending',
    });
    expect(objectGets().length).toBe(getsBefore + 1);

    const fresh = ObjectWatcher.create({
      logger: mockServices.logger.mock(),
      minBackoffMs: 20,
      maxBackoffMs: 50,
    });
    const cluster = KubernetesCluster.fromConfig(
      {
        name: 'test',
        url: server.url,
        skipTLSVerify: true,
        serviceAccountToken: 'test-token',
        inCluster: false,
      },
      { requestTimeoutMs: 3000 },
    );
    fresh.ensure(
      cluster,
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
    );
    await waitFor(
      () =>
        fresh.lookup(
          'test',
          CLAIM_KIND.apiVersion,
          'PostgreSQLInstance',
          'team-dbs',
          'orders-db',
        ) !== undefined,
      'the fresh watcher to sync',
    );
    const lists = listRequests().length;
    await fresh.resync();
    expect(listRequests().length).toBe(lists + 1);
    expect(
      fresh.lookup(
        'test',
        CLAIM_KIND.apiVersion,
        'PostgreSQLInstance',
        'team-dbs',
        'orders-db',
      )?.metadata.name,
    ).toBe('orders-db');

    // Watch failing (503 on list) marks the cache cold: lookups answer nothing, so the driver GETs.
    server.failNext = { count: 3, status: 503 };
    server.compact();
    await waitFor(
      () =>
        fresh.lookup(
          'test',
          CLAIM_KIND.apiVersion,
          'PostgreSQLInstance',
          'team-dbs',
          'orders-db',
        ) === undefined,
      'cache to go cold',
    );
    await waitFor(() => server.openWatches === 1, 'recovery after backoff');
    fresh.stop();
  });
});
