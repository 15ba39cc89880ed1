/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { costsApiRef } from '../../api';
import { platformConsoleTranslationRef } from '../../translation';
import { CostChart } from '../CostTab/CostChart';
import { usd } from '../CostTab/format';

/**
 * Entity card "Cost": a component's own resources plus the resources it depends on, or a system's resources,
 * per month over 12 months, with this month so far and the forecast.
 * @public
 */
export function EntityCostCard() {
  const { entity } = useEntity();
  const api = useApi(costsApiRef);
  const { t } = useTranslationRef(platformConsoleTranslationRef);
  const ref = stringifyEntityRef(entity);
  const isSystem = entity.kind.toLocaleLowerCase('en-US') === 'system';
  const filter = isSystem ? { system: ref } : { component: ref, includeDependencies: true };
  const state = useAsync(
    async () => ({
      costs: await api.getCosts({ groupBy: 'resource', ...filter }),
      summary: await api.getSummary(filter),
    }),
    [api, ref],
  );
  return (
    <InfoCard
      title={t('entityCostCard.title')}
      subheader={isSystem ? t('entityCostCard.systemSubheader') : t('entityCostCard.componentSubheader')}
    >
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && state.value.costs.items.length === 0 && (
        <Typography>{t('entityCostCard.empty')}</Typography>
      )}
      {state.value && state.value.costs.items.length > 0 && (
        <>
          <Typography variant="h6">
            {t('entityCostCard.soFarAndForecast', {
              soFar: usd(state.value.summary.soFarUsd),
              forecast: usd(state.value.summary.forecastUsd),
            })}
          </Typography>
          {state.value.costs.demo && (
            <Typography variant="caption" color="textSecondary">
              {t('entityCostCard.demoData')}
            </Typography>
          )}
          <CostChart months={state.value.costs.months} items={state.value.costs.items} label={t('entityCostCard.chartLabel')} />
        </>
      )}
    </InfoCard>
  );
}
