/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { goldenPathsTranslationRef } from '../../translation';

/** What `GET /api/scaffolder/retirements/plan` answers. */
export interface RetirementPlanResponse {
  plan: {
    entityRef: string;
    owner: string;
    resources: Array<{ id: string; name: string; type: string; state: string }>;
    repository?: { name: string; archived: boolean };
  };
  lines: string[];
}

/**
 * Shows what retiring a component removes (its provisioned resources, its catalog entity, its
 * repository), read from the scaffolder module's `GET /retirements/plan?entityRef=` for the component
 * chosen in the form field named by `ui:options.entityRefFrom` (default `component`). Read-only: it
 * stores nothing in the form.
 * @public
 */
export function RetirementPlanField(props: {
  uiSchema?: { 'ui:options'?: { entityRefFrom?: string } };
  formContext?: { formData?: Record<string, unknown> };
  schema?: { title?: string };
}) {
  const from = props.uiSchema?.['ui:options']?.entityRefFrom ?? 'component';
  const entityRef = props.formContext?.formData?.[from];
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  const state = useAsync(async (): Promise<RetirementPlanResponse | undefined> => {
    if (typeof entityRef !== 'string' || !entityRef) return undefined;
    const base = await discoveryApi.getBaseUrl('scaffolder');
    const res = await fetchApi.fetch(
      `${base}/retirements/plan?entityRef=${encodeURIComponent(entityRef)}`,
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }, [entityRef]);

  return (
    <Box mb={2} data-testid="retirement-plan">
      <Typography variant="h6">{props.schema?.title ?? t('retirementPlan.title')}</Typography>
      {!entityRef && <Typography variant="body2">{t('retirementPlan.chooseService')}</Typography>}
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && (
        <ul>
          {state.value.lines.map(line => (
            <li key={line}>
              <Typography variant="body2">{line}</Typography>
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
}
