/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Content, Header, Page, TabbedLayout } from '@backstage/core-components';
import { defaultPlatformConsoleTabs, PlatformConsoleTab } from './tabs';

/**
 * The "Platform console" page content: the platform as a product, one tab per view (Cost first).
 * @public
 */
export function PlatformConsolePageContent(props: { tabs?: PlatformConsoleTab[] }) {
  const tabs = props.tabs ?? defaultPlatformConsoleTabs;
  return (
    <TabbedLayout>
      {tabs.map(tab => (
        <TabbedLayout.Route key={tab.path} path={tab.path} title={tab.title}>
          <Content>{tab.content}</Content>
        </TabbedLayout.Route>
      ))}
    </TabbedLayout>
  );
}

/**
 * The "Platform console" page with its header (legacy frontend system).
 * @public
 */
export function PlatformConsolePage(props: { tabs?: PlatformConsoleTab[] }) {
  return (
    <Page themeId="tool">
      <Header title="Platform console" subtitle="The platform as a product: cost, fleet, adoption, delivery and scorecards" />
      <PlatformConsolePageContent tabs={props.tabs} />
    </Page>
  );
}
