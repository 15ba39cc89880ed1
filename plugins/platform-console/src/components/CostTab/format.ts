/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** `$1,234.56`. @internal */
export const usd = (v: number) =>
  `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The name part of an entity ref (`group:default/orders-team` -> `orders-team`). @internal */
export const shortRef = (ref: string) => ref.replace(/^[^:]+:/, '').replace(/^default\//, '');
