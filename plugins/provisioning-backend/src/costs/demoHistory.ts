import type { Attribution } from './KnexCostStore';
import { BilledSegment, dayOf } from './ledger';

/**
 * DEMO DATA ONLY. A year of made-up cost history for the demo configuration
 * (`provisioning.demo.seedCostHistory: true`), so that the showback charts say something on first start.
 * Rows are written with `demo = true` and resource ids starting with `demo-`; they never exist as resources.
 * The history is anchored on the month of the first seeding (kept in the ledger's bookkeeping) so that
 * re-seeding is idempotent; open segments continue to the present.
 */

type Size = 'small' | 'medium' | 'large';

const PRICES: Record<string, Record<Size, number>> = {
  postgresql: { small: 15, medium: 60, large: 240 },
  redis: { small: 5, medium: 20, large: 80 },
};

interface DemoResource {
  name: string;
  type: 'postgresql' | 'redis';
  owner: string;
  component: string | null;
  system: string | null;
  domain: string | null;
  /** [month offset 0..11 from 11 months before the anchor, day of month, size]; the first is the create. */
  sizes: Array<[number, number, Size]>;
  /** [month offset, day of month] of the deletion. */
  deleted?: [number, number];
}

const team = (n: string) => `group:default/${n}`;
const comp = (n: string) => `component:default/${n}`;
const sys = (n: string) => `system:default/${n}`;
const COMMERCE = 'domain:default/commerce';

const DEMO: DemoResource[] = [
  { name: 'orders-db', type: 'postgresql', owner: team('orders-team'), component: comp('orders-api'), system: sys('orders'), domain: COMMERCE,
    sizes: [[0, 3, 'small'], [4, 10, 'medium'], [8, 1, 'large']] },
  { name: 'orders-cache', type: 'redis', owner: team('orders-team'), component: comp('orders-api'), system: sys('orders'), domain: COMMERCE,
    sizes: [[1, 5, 'small'], [9, 2, 'medium']] },
  { name: 'fulfilment-db', type: 'postgresql', owner: team('orders-team'), component: comp('fulfilment-worker'), system: sys('orders'), domain: COMMERCE,
    sizes: [[0, 1, 'medium']] },
  { name: 'notifications-db', type: 'postgresql', owner: team('orders-team'), component: comp('notification-service'), system: sys('orders'), domain: COMMERCE,
    sizes: [[6, 12, 'small']] },
  { name: 'payments-db', type: 'postgresql', owner: team('payments-team'), component: comp('payments-api'), system: sys('payments'), domain: COMMERCE,
    sizes: [[0, 1, 'large']] },
  { name: 'fraud-db', type: 'postgresql', owner: team('payments-team'), component: comp('fraud-check'), system: sys('payments'), domain: COMMERCE,
    sizes: [[2, 7, 'medium']] },
  { name: 'fraud-cache', type: 'redis', owner: team('payments-team'), component: comp('fraud-check'), system: sys('payments'), domain: COMMERCE,
    sizes: [[3, 1, 'medium']] },
  { name: 'refunds-db', type: 'postgresql', owner: team('payments-team'), component: comp('refunds-admin'), system: sys('payments'), domain: COMMERCE,
    sizes: [[5, 15, 'small']], deleted: [9, 20] },
  { name: 'storefront-cache', type: 'redis', owner: team('storefront-team'), component: comp('storefront-web'), system: sys('storefront'), domain: COMMERCE,
    sizes: [[0, 1, 'medium'], [10, 14, 'large']] },
  { name: 'checkout-db', type: 'postgresql', owner: team('storefront-team'), component: comp('checkout-web'), system: sys('storefront'), domain: COMMERCE,
    sizes: [[2, 1, 'small'], [7, 1, 'medium']] },
  { name: 'checkout-preview-db', type: 'postgresql', owner: team('storefront-team'), component: comp('checkout-web'), system: sys('storefront'), domain: COMMERCE,
    sizes: [[10, 3, 'small']], deleted: [10, 9] },
  { name: 'portal-db', type: 'postgresql', owner: team('platform-team'), component: comp('paved-portal'), system: sys('paved'), domain: 'domain:default/developer-platform',
    sizes: [[0, 1, 'medium']] },
];

/** Month `YYYY-MM` of an epoch ms, minus `back` months. */
export function demoAnchor(now: number): string {
  return dayOf(now).slice(0, 7);
}

/** The demo resources' billed segments up to `now`, anchored on `anchor` (`YYYY-MM`). @internal */
export function demoHistory(anchor: string, now: number): Array<{
  resourceId: string;
  attribution: Attribution;
  segments: BilledSegment[];
}> {
  const [y, m] = anchor.split('-').map(Number);
  const at = (offset: number, day: number) => Date.UTC(y, m - 1 - 11 + offset, day, 9, 0, 0);
  return DEMO.map(r => {
    const end = Math.min(now, r.deleted ? at(...r.deleted) : now);
    const segments: BilledSegment[] = [];
    r.sizes.forEach(([offset, day, size], i) => {
      const start = at(offset, day);
      const next = r.sizes[i + 1];
      const stop = Math.min(end, next ? at(next[0], next[1]) : end);
      if (stop > start) {
        segments.push({ start, end: stop, monthlyCostUsd: PRICES[r.type][size], size });
      }
    });
    return {
      resourceId: `demo-${r.name}`,
      attribution: {
        resourceName: r.name,
        resourceType: r.type,
        owner: r.owner,
        component: r.component,
        system: r.system,
        domain: r.domain,
      },
      segments,
    };
  });
}
