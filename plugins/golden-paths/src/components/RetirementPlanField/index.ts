/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
export { RetirementPlanField } from './RetirementPlanField';
export type { RetirementPlanResponse } from './RetirementPlanField';
