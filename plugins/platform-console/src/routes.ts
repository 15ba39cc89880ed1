/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createRouteRef } from '@backstage/core-plugin-api';

/** Route of the "Platform console" page. @public */
export const rootRouteRef = createRouteRef({ id: 'platform-console' });
