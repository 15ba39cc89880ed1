/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { Content } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useSearchParams } from 'react-router-dom';
import { GoldenPathsPageContent } from '../components/GoldenPathsPage';
import { goldenPathsTranslationRef } from '../translation';
import { AdoptionContent } from './AdoptionContent';

/**
 * The "Golden paths" page body with two tabs: the fleet (versions and upgrades) and adoption.
 * The tab is kept in the URL (`?tab=adoption`).
 * @internal
 */
export function GoldenPathsTabs() {
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'adoption' ? 'adoption' : 'fleet';
  return (
    <>
      <Box px={3} pt={2}>
        <Tabs
          value={tab}
          indicatorColor="primary"
          onChange={(_, next: string) => {
            const p = new URLSearchParams(params);
            if (next === 'adoption') p.set('tab', 'adoption');
            else p.delete('tab');
            setParams(p, { replace: true });
          }}
        >
          <Tab value="fleet" label={t('tabs.fleet')} />
          <Tab value="adoption" label={t('tabs.adoption')} />
        </Tabs>
      </Box>
      {tab === 'adoption' ? (
        <Content>
          <AdoptionContent />
        </Content>
      ) : (
        <GoldenPathsPageContent />
      )}
    </>
  );
}
