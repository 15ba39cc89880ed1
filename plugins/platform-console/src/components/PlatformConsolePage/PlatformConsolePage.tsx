/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Content, Header, Page, TabbedLayout } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { platformConsoleTranslationRef } from '../../translation';
import { defaultPlatformConsoleTabs, defaultTabTitleKeys, PlatformConsoleTab } from './tabs';

/**
 * The "Platform console" page content: the platform as a product, one tab per view (Cost first).
 * @public
 */
export function PlatformConsolePageContent(props: { tabs?: PlatformConsoleTab[] }) {
  const { t } = useTranslationRef(platformConsoleTranslationRef);
  const tabs = props.tabs ?? defaultPlatformConsoleTabs;
  // The default tabs' titles come from the translation ref; tabs added by the app keep their own titles.
  const titleOf = (tab: PlatformConsoleTab) => {
    const key = defaultTabTitleKeys.get(tab);
    return key ? t(key) : tab.title;
  };
  return (
    <TabbedLayout>
      {tabs.map(tab => (
        <TabbedLayout.Route key={tab.path} path={tab.path} title={titleOf(tab)}>
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
  const { t } = useTranslationRef(platformConsoleTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <PlatformConsolePageContent tabs={props.tabs} />
    </Page>
  );
}
