/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
export { PlatformConsolePage, PlatformConsolePageContent } from './PlatformConsolePage';
export { defaultPlatformConsoleTabs } from './tabs';
export type { PlatformConsoleTab } from './tabs';
