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
      };
    };
  };
}
