/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
export { adoptionApiRef, AdoptionClient } from './AdoptionApi';
export type { AdoptionApi, AdoptionFunnel, AdoptionReport } from './AdoptionApi';
export { AdoptionContent, AdoptionFunnelBars } from './AdoptionContent';
export type { AdoptionContentProps } from './AdoptionContent';
