/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { HumanDuration } from '@backstage/types';

export interface Config {
  scaffolder?: {
    paved?: {
      /** Upgrades of services to newer template versions (`paved:template:upgrade`). */
      upgrades?: {
        /**
         * Longest run of a service's own tests (`node --test`) before its upgrade is offered.
         * Default 2 minutes.
         */
        testTimeout?: HumanDuration | string;
        /**
         * Groups whose members may open upgrades for every service behind (a campaign).
         * Default `['group:default/platform-team']`.
         */
        campaignOwners?: string[];
        /**
         * The day-2 template that runs one upgrade (`paved:template:upgrade`), started by campaigns and
         * offered on entity pages. Default `template:default/upgrade-service`.
         */
        template?: string;
      };
    };
  };
}
