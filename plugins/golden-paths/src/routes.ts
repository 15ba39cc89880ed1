/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createRouteRef } from '@backstage/core-plugin-api';

/** Route of the "Golden paths" page. @public */
export const rootRouteRef = createRouteRef({ id: 'golden-paths' });
