/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createDevApp } from '@backstage/frontend-dev-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import goldenPathsPlugin from '../src/alpha';

// Runs the plugin against a local backend (`yarn start` in packages/backend): open /golden-paths,
// or the overview of a component made from a versioned template.
createDevApp({ features: [catalogPlugin, goldenPathsPlugin] });
