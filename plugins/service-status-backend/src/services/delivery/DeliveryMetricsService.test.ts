import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../../database/migrations';
import { DeliveryStore } from '../../database/DeliveryStore';
import { DeliveryMetricsService } from './DeliveryMetricsService';
import { deliveryWindow, median, weekStartUtc } from './computeDelivery';
import {
  changeFailureRateBand,
  deploymentFrequencyBand,
  leadTimeBand,
  timeToRestoreBand,
} from './bands';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// Wednesday 2026-03-11 12:00 UTC; its week starts Monday 2026-03-09.
const NOW = Date.parse('2026-03-11T12:00:00Z');
const FROM = Date.parse('2025-12-22T00:00:00Z');

function component(name: string, owner: string, kind = 'Component'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', owner },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

const entities = [
  component('orders-api', 'orders-team'),
  component('payments-api', 'payments-team'),
  component('fraud-check', 'payments-team'),
  component('orders-db', 'orders-team', 'Resource'),
];

let seq = 0;
async function deployment(
  knex: Knex,
  d: {
    entity: string;
    at: number;
    status?: string;
    environment?: string;
    committedAt?: number;
  },
) {
  seq += 1;
  await knex('status_deployments').insert({
    id: `d${seq}`,
    entity_ref: d.entity,
    environment: d.environment ?? 'production',
    version: `1.0.${seq}`,
    commit: null,
    committed_at: d.committedAt ?? null,
    status: d.status ?? 'succeeded',
    started_at: d.at - 5 * 60_000,
    finished_at: d.status === 'in-progress' ? null : d.at,
    url: null,
    created_by: 'ci',
    created_at: d.at,
  });
}

async function incident(
  knex: Knex,
  i: { entity: string; createdAt: number; resolvedAt?: number },
) {
  seq += 1;
  await knex('status_incidents').insert({
    id: `i${seq}`,
    entity_ref: i.entity,
    title: 'x',
    severity: 'sev2',
    state: i.resolvedAt ? 'resolved' : 'investigating',
    created_by: 'user:default/dana',
    created_at: i.createdAt,
    updated_at: i.resolvedAt ?? i.createdAt,
    resolved_at: i.resolvedAt ?? null,
  });
}

/**
 * The seeded history (window 2025-12-22 .. 2026-03-11 12:00, 11 weeks and 2.5 days):
 * - orders-api: every week Monday and Tuesday 10:00 a deployment committed 3 h before (24);
 *   the week-0 Tuesday one failed; an incident 30 min after week-5 Monday's (failed change,
 *   resolved after 2 h); one 5 h after week-7 Monday's (not a failed change, resolved after 4 h).
 * - payments-api: one succeeded production deployment without commit time in week 3; a staging
 *   one, an in-progress one, a cancelled one and one before the window (none counted).
 * - fraud-check: an open incident in week 10.
 * - not counted: a deployment of an entity gone from the catalog and an incident on a Resource.
 */
async function seed(knex: Knex) {
  for (let w = 0; w < 12; w++) {
    const monday = FROM + w * WEEK + 10 * HOUR;
    const tuesday = monday + DAY;
    await deployment(knex, {
      entity: 'component:default/orders-api',
      at: monday,
      committedAt: monday - 3 * HOUR,
    });
    await deployment(knex, {
      entity: 'component:default/orders-api',
      at: tuesday,
      committedAt: tuesday - 3 * HOUR,
      status: w === 0 ? 'failed' : 'succeeded',
    });
  }
  await incident(knex, {
    entity: 'component:default/orders-api',
    createdAt: FROM + 5 * WEEK + 10 * HOUR + 30 * 60_000,
    resolvedAt: FROM + 5 * WEEK + 12 * HOUR + 30 * 60_000,
  });
  await incident(knex, {
    entity: 'component:default/orders-api',
    createdAt: FROM + 7 * WEEK + 15 * HOUR,
    resolvedAt: FROM + 7 * WEEK + 19 * HOUR,
  });
  const w3 = FROM + 3 * WEEK + DAY;
  await deployment(knex, { entity: 'component:default/payments-api', at: w3 });
  await deployment(knex, {
    entity: 'component:default/payments-api',
    at: w3 + HOUR,
    environment: 'staging',
  });
  await deployment(knex, {
    entity: 'component:default/payments-api',
    at: w3 + 2 * HOUR,
    status: 'in-progress',
  });
  await deployment(knex, {
    entity: 'component:default/payments-api',
    at: w3 + 3 * HOUR,
    status: 'cancelled',
  });
  await deployment(knex, {
    entity: 'component:default/payments-api',
    at: FROM - 3 * DAY,
  });
  await incident(knex, {
    entity: 'component:default/fraud-check',
    createdAt: FROM + 10 * WEEK + DAY,
  });
  await deployment(knex, { entity: 'component:default/ghost', at: w3 });
  await incident(knex, {
    entity: 'resource:default/orders-db',
    createdAt: w3,
    resolvedAt: w3 + HOUR,
  });
}

describe('delivery metrics helpers', () => {
  it('aligns weeks on Monday 00:00 UTC', () => {
    expect(new Date(weekStartUtc(NOW)).toISOString()).toBe(
      '2026-03-09T00:00:00.000Z',
    );
    expect(deliveryWindow(NOW, 12)).toEqual({ from: FROM, to: NOW });
    expect(weekStartUtc(Date.parse('2026-03-09T00:00:00Z'))).toBe(
      Date.parse('2026-03-09T00:00:00Z'),
    );
  });

  it('takes medians', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('puts values in the DORA 2023 bands', () => {
    expect(deploymentFrequencyBand(10)).toBe('elite');
    expect(deploymentFrequencyBand(7)).toBe('elite');
    expect(deploymentFrequencyBand(2)).toBe('high');
    expect(deploymentFrequencyBand(0.5)).toBe('medium');
    expect(deploymentFrequencyBand(0.1)).toBe('low');
    expect(leadTimeBand(3)).toBe('elite');
    expect(leadTimeBand(48)).toBe('high');
    expect(leadTimeBand(24 * 10)).toBe('medium');
    expect(leadTimeBand(24 * 60)).toBe('low');
    expect(changeFailureRateBand(0.05)).toBe('elite');
    expect(changeFailureRateBand(0.08)).toBe('high');
    expect(changeFailureRateBand(0.15)).toBe('medium');
    expect(changeFailureRateBand(0.3)).toBe('low');
    expect(timeToRestoreBand(0.5)).toBe('elite');
    expect(timeToRestoreBand(3)).toBe('high');
    expect(timeToRestoreBand(72)).toBe('medium');
    expect(timeToRestoreBand(24 * 30)).toBe('low');
  });
});

describe.each(TestDatabases.create().eachSupportedId())(
  'DeliveryMetricsService on %p',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    let knex: Knex;
    let service: DeliveryMetricsService;
    const credentials = mockCredentials.user('user:default/dana');

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await seed(knex);
      service = DeliveryMetricsService.create({
        store: DeliveryStore.create({ knex }),
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        clock: () => NOW,
      });
    });
    afterAll(async () => {
      await knex.destroy();
    });

    const windowWeeks = (NOW - FROM) / WEEK;

    it('computes the four metrics per service from the seeded history', async () => {
      const result = await service.get({}, credentials);
      expect(result).toMatchObject({
        groupBy: 'service',
        weeks: 12,
        from: '2025-12-22T00:00:00.000Z',
        to: '2026-03-11T12:00:00.000Z',
        environment: 'production',
      });
      expect(result.items.map(i => i.key)).toEqual([
        'component:default/fraud-check',
        'component:default/orders-api',
        'component:default/payments-api',
      ]);
      const orders = result.items[1];
      expect(orders).toMatchObject({
        kind: 'service',
        owner: 'group:default/orders-team',
        deployments: 24,
        deploymentsPerWeek: Math.round((24 / windowWeeks) * 100) / 100,
        failedChanges: 2,
        changeFailureRate: Math.round((2 / 24) * 1000) / 1000,
        restores: 2,
        medianTimeToRestoreHours: 3,
        // the failed deployment has no lead time: 23 succeeded ones at 3 h
        leadTimeSamples: 23,
        medianLeadTimeHours: 3,
        bands: {
          deploymentFrequency: 'high',
          changeFailureRate: 'high',
          timeToRestore: 'high',
          leadTime: 'elite',
        },
      });
      expect(orders.trend).toHaveLength(12);
      expect(orders.trend[0]).toEqual({
        weekStart: '2025-12-22T00:00:00.000Z',
        deployments: 2,
        failedChanges: 1,
        changeFailureRate: 0.5,
        restores: 0,
        medianLeadTimeHours: 3,
      });
      expect(orders.trend[5]).toMatchObject({
        failedChanges: 1,
        restores: 1,
        medianTimeToRestoreHours: 2,
      });
      expect(orders.trend[7]).toMatchObject({
        failedChanges: 0,
        restores: 1,
        medianTimeToRestoreHours: 4,
      });
      expect(orders.trend[11]).toMatchObject({
        weekStart: '2026-03-09T00:00:00.000Z',
        deployments: 2,
      });

      const payments = result.items[2];
      expect(payments).toMatchObject({
        deployments: 1,
        failedChanges: 0,
        changeFailureRate: 0,
        leadTimeSamples: 0,
        bands: { deploymentFrequency: 'low', changeFailureRate: 'elite' },
      });
      expect(payments.medianLeadTimeHours).toBeUndefined();
      expect(payments.bands.leadTime).toBeUndefined();

      const fraud = result.items[0];
      expect(fraud).toMatchObject({ deployments: 0, restores: 0 });
      expect(fraud.changeFailureRate).toBeUndefined();

      expect(result.total).toMatchObject({
        key: 'all',
        deployments: 25,
        failedChanges: 2,
        services: 3,
      });
    });

    it('rolls up per team', async () => {
      const result = await service.get({ groupBy: 'team' }, credentials);
      expect(result.items.map(i => [i.key, i.services, i.deployments])).toEqual(
        [
          ['group:default/orders-team', 1, 24],
          ['group:default/payments-team', 2, 1],
        ],
      );
      const payments = result.items[1];
      expect(payments.kind).toBe('team');
      expect(payments.restores).toBe(0);
    });

    it('filters by owner, service, environment and window', async () => {
      const byOwner = await service.get(
        { owner: 'payments-team' },
        credentials,
      );
      expect(byOwner.items.map(i => i.key)).toEqual([
        'component:default/fraud-check',
        'component:default/payments-api',
      ]);
      const one = await service.get(
        { entityRef: 'component:default/orders-api', weeks: 1 },
        credentials,
      );
      expect(one.items).toHaveLength(1);
      expect(one.items[0]).toMatchObject({ deployments: 2 });
      expect(one.items[0].trend).toHaveLength(1);
      const staging = await service.get(
        { environment: 'staging' },
        credentials,
      );
      expect(staging.items.find(i => i.deployments > 0)?.key).toBe(
        'component:default/payments-api',
      );
      await expect(
        service.get({ entityRef: 'not a ref!' }, credentials),
      ).rejects.toMatchObject({ name: 'InputError' });
    });
  },
);
