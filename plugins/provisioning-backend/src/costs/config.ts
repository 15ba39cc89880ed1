import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { InputError } from '@backstage/errors';

/** A team's monthly budget. @internal */
export interface TeamBudget {
  /** Owner group entity ref, e.g. `group:default/orders-team`. */
  owner: string;
  /** USD per month. */
  monthlyUsd: number;
}

/** The parsed cost settings (`provisioning.costs`, `provisioning.budgets`, `provisioning.demo`). @internal */
export interface CostsConfig {
  /** How often the ledger is accrued, ms. Default 1 hour. */
  accrualIntervalMs: number;
  budgets: TeamBudget[];
  /** Seed a year of demo cost history (demo configurations only). Default false. */
  seedDemoHistory: boolean;
}

/** Defaults of the cost settings. @internal */
export const COSTS_CONFIG_DEFAULTS = { accrualIntervalMs: 3_600_000 };

/**
 * Reads the cost settings of the `provisioning` section, once at start-up; throws on invalid values.
 * @internal
 */
export function readCostsConfig(root: Config): CostsConfig {
  const config = root.getOptionalConfig('provisioning');
  const costs = config?.getOptionalConfig('costs');
  const accrualIntervalMs = costs?.has('accrualInterval')
    ? durationToMilliseconds(readDurationFromConfig(costs, { key: 'accrualInterval' }))
    : COSTS_CONFIG_DEFAULTS.accrualIntervalMs;
  if (accrualIntervalMs < 1000) {
    throw new InputError('provisioning.costs.accrualInterval must be at least 1 second');
  }
  const budgets = (config?.getOptionalConfigArray('budgets') ?? []).map((b, i) => {
    const owner = b.getString('owner');
    const monthlyUsd = b.getNumber('monthlyUsd');
    if (!(monthlyUsd >= 0)) {
      throw new InputError(`provisioning.budgets[${i}].monthlyUsd must be a number >= 0`);
    }
    return { owner, monthlyUsd };
  });
  const owners = new Set<string>();
  for (const b of budgets) {
    if (owners.has(b.owner)) throw new InputError(`provisioning.budgets: ${b.owner} is listed twice`);
    owners.add(b.owner);
  }
  return {
    accrualIntervalMs,
    budgets,
    seedDemoHistory: config?.getOptionalBoolean('demo.seedCostHistory') ?? false,
  };
}
