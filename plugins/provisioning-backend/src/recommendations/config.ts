import type { Config } from '@backstage/config';

/**
 * Demo utilisation (DEMO DATA, for the demo/dev configuration only): when a resource of `type` named `name`
 * is observed at `size`, the days before today (`days` of them) are seeded with these peaks unless measured
 * rows exist, and are marked `demo`. Never set this in production.
 * @internal
 */
export interface DemoUtilisation {
  type: string;
  name: string;
  /** Only seeded while the resource has this size (e.g. `medium`). */
  size: string;
  days: number;
  peakConnections?: number;
  peakMemoryBytes?: number;
  keys?: number;
}

/**
 * The rightsizing thresholds (`provisioning.rightsizing`). See {@link recommend} for the formula.
 * @internal
 */
export interface RightsizingConfig {
  /** Days of measured utilisation a recommendation rests on (the window ends today, UTC). Default 7. */
  windowDays: number;
  /** Days of the window that must have at least one sample. Default 5. */
  minSampledDays: number;
  /**
   * Highest share (0..1] of a smaller size's capacity that the window's peak may use for that size to be
   * proposed. Default 0.6 (a peak of 3 connections fits a size of 10 at 30%).
   */
  targetUtilisation: number;
  demoUtilisation: DemoUtilisation[];
}

/** Defaults of {@link RightsizingConfig}. @internal */
export const RIGHTSIZING_DEFAULTS = {
  windowDays: 7,
  minSampledDays: 5,
  targetUtilisation: 0.6,
};

/** Reads `provisioning.rightsizing`; throws on invalid values. @internal */
export function readRightsizingConfig(config: Config): RightsizingConfig {
  const root = config.getOptionalConfig('provisioning.rightsizing');
  const windowDays = root?.getOptionalNumber('windowDays') ?? RIGHTSIZING_DEFAULTS.windowDays;
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 90) {
    throw new Error('Invalid config provisioning.rightsizing.windowDays: an integer between 1 and 90');
  }
  const minSampledDays =
    root?.getOptionalNumber('minSampledDays') ?? Math.min(RIGHTSIZING_DEFAULTS.minSampledDays, windowDays);
  if (!Number.isInteger(minSampledDays) || minSampledDays < 1 || minSampledDays > windowDays) {
    throw new Error(
      'Invalid config provisioning.rightsizing.minSampledDays: an integer between 1 and windowDays',
    );
  }
  const targetUtilisation =
    root?.getOptionalNumber('targetUtilisation') ?? RIGHTSIZING_DEFAULTS.targetUtilisation;
  if (!(targetUtilisation > 0 && targetUtilisation <= 1)) {
    throw new Error('Invalid config provisioning.rightsizing.targetUtilisation: a number in (0, 1]');
  }
  const demoUtilisation = (root?.getOptionalConfigArray('demoUtilisation') ?? []).map(d => {
    const days = d.getOptionalNumber('days') ?? windowDays;
    if (!Number.isInteger(days) || days < 1 || days > 400) {
      throw new Error('Invalid config provisioning.rightsizing.demoUtilisation[].days: 1..400');
    }
    return {
      type: d.getString('type'),
      name: d.getString('name'),
      size: d.getString('size'),
      days,
      peakConnections: d.getOptionalNumber('peakConnections'),
      peakMemoryBytes: d.getOptionalNumber('peakMemoryBytes'),
      keys: d.getOptionalNumber('keys'),
    };
  });
  return { windowDays, minSampledDays, targetUtilisation, demoUtilisation };
}
