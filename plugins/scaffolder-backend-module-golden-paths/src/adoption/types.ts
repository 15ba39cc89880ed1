/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The golden-path funnel of a set of template runs: each stage counts the runs of the previous
 * stage that got further.
 *
 * - `started`: template runs (scaffolder tasks) created in the window;
 * - `completed`: of those, runs that finished with status `completed`;
 * - `inCatalog`: of those, runs whose component (the `entityRef` link of the run's output, or the
 *   component named by its `name` parameter that carries the template's annotation) is in the
 *   catalog now;
 * - `deployed`: of those, components with at least one reported deployment (service status);
 * - `healthy`: of those, components whose rolled-up status is `up` now.
 *
 * `conversion` holds each stage's count divided by the previous stage's count (0..1; absent when
 * the previous stage is 0); `overall` is healthy / started.
 * @public
 */
export interface AdoptionFunnel {
  started: number;
  completed: number;
  inCatalog: number;
  deployed: number;
  healthy: number;
  conversion: {
    completed?: number;
    inCatalog?: number;
    deployed?: number;
    healthy?: number;
    overall?: number;
  };
  /** Median hours from the template run to the component's first reported deployment. */
  medianHoursToFirstDeployment?: number;
}

/** The funnel of one template. @public */
export interface TemplateAdoption {
  /** Template entity ref, e.g. `template:default/typescript-service`. */
  templateRef: string;
  funnel: AdoptionFunnel;
}

/** The funnel of one team (the owner of the component, else the run's `owner` parameter). @public */
export interface TeamAdoption {
  /** Group entity ref, or `unknown`. */
  team: string;
  funnel: AdoptionFunnel;
}

/** Self-service resource requests created in one week (Monday 00:00 UTC). @public */
export interface SelfServiceWeek {
  weekStart: string;
  requests: number;
}

/**
 * Golden-path adoption over a window of whole weeks: the funnel in total, per template and per
 * team, the share of catalog components made by a golden path, and self-service requests per week.
 * @public
 */
export interface AdoptionReport {
  from: string;
  to: string;
  weeks: number;
  funnel: AdoptionFunnel;
  templates: TemplateAdoption[];
  teams: TeamAdoption[];
  /**
   * Components in the catalog made by a golden path (annotated `paved.dev/template`,
   * `backstage.io/source-template` or `paved.dev/golden-path`) against all components (all time).
   */
  goldenPathShare: {
    components: number;
    fromGoldenPath: number;
    /** fromGoldenPath / components (0..1); absent without components. */
    share?: number;
    byTemplate: Array<{ template: string; components: number }>;
  };
  /** Provisioning requests (resources created, deleted ones included) per week of the window. */
  selfService: { total: number; weeks: SelfServiceWeek[] };
  /** Sources that could not be read (their stages count as 0), e.g. `service-status: HTTP 503`. */
  warnings: string[];
}
