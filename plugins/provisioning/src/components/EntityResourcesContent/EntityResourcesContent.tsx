import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisioningApiRef } from '../../api';
import { formatMonthlyCost, TERMINAL_STATES } from '../../format';
import {
  usePollingFallback,
  useQueuedRetry,
  useResourceSignal,
} from '../../hooks/useResourceSignal';
import { FALLBACK_POLL_INTERVAL_MS } from '../ResourcesTable/ResourcesTable';
import { useResourceTypes } from '../../hooks/useResourceTypes';
import { requestRouteRef } from '../../routes';
import { ResourceList } from '../ResourcesTable';
import { RelatedCatalogResources } from './RelatedCatalogResources';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';

/** Most components of a system whose resources are listed on the system's tab. */
const MAX_SYSTEM_COMPONENTS = 50;

function systemOf(entity: Entity): string | undefined {
  if (entity.kind.toLocaleLowerCase('en-US') === 'system') {
    return stringifyEntityRef(entity);
  }
  const system = (entity.spec as { system?: unknown } | undefined)?.system;
  if (typeof system !== 'string' || !system) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(system, {
        defaultKind: 'system',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

function ownerOf(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    const ref: CompoundEntityRef = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
    return ref.kind.toLocaleLowerCase('en-US') === 'group'
      ? stringifyEntityRef(ref)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entity "Resources" tab (components and systems): the resources the entity depends on, with state and
 * cost, and "Request a resource", which opens the request form with the owner and entity filled in.
 * @public
 */
export function EntityResourcesContent() {
  const { entity } = useEntity();
  const api = useApi(provisioningApiRef);
  const { t } = useTranslationRef(provisioningTranslationRef);
  const navigate = useNavigate();
  const requestLink = useRouteRef(requestRouteRef);
  const { value: types } = useResourceTypes();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const entityRef = stringifyEntityRef(getCompoundEntityRef(entity));
  const catalogApi = useApi(catalogApiRef);
  const isSystem = entity.kind.toLocaleLowerCase('en-US') === 'system';
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    if (!isSystem) return api.listResources({ entityRef });
    // A system's resources: those that belong to the system itself or to any of its components.
    const ns = entity.metadata.namespace ?? 'default';
    const name = entity.metadata.name;
    const { items: components } = await catalogApi.getEntities({
      filter: {
        kind: 'component',
        'spec.system': [name, `${ns}/${name}`, `system:${ns}/${name}`],
      },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    });
    const refs = [
      entityRef,
      ...components
        .slice(0, MAX_SYSTEM_COMPONENTS)
        .map(c => stringifyEntityRef(c)),
    ];
    const pages = await Promise.all(
      refs.map(ref => api.listResources({ entityRef: ref })),
    );
    const byId = new Map(pages.flatMap(p => p.items).map(r => [r.id, r]));
    return { items: Array.from(byId.values()), totals: [] };
  }, [api, catalogApi, entityRef, isSystem]);

  // Push, not poll: reload on every change the backend signals, and when the signal connection becomes live (a
  // change published before it would be lost). Poll while a resource is busy only while signals do not (yet) work.
  const reload = useQueuedRetry(retry, loading);
  const { isLive } = useResourceSignal(() => reload());
  const busy = (value?.items ?? []).some(r => !TERMINAL_STATES.has(r.state));
  usePollingFallback(reload, FALLBACK_POLL_INTERVAL_MS, !isLive && busy);

  const openForm = (typeId: string) => {
    const query = new URLSearchParams();
    const owner = ownerOf(entity);
    if (owner) query.set('owner', owner);
    query.set('entityRef', entityRef);
    const system = systemOf(entity);
    if (system) query.set('system', system);
    navigate(`${requestLink({ typeId })}?${query.toString()}`);
  };

  const typeTitles = Object.fromEntries(
    (types ?? []).map(rt => [rt.id, rt.title]),
  );
  const total = (value?.items ?? [])
    .filter(r => r.state !== 'deleted')
    .reduce((sum, r) => sum + r.monthlyCostUsd, 0);

  const action = (
    <>
      <Button
        variant="contained"
        color="primary"
        aria-haspopup="true"
        disabled={!types || types.length === 0}
        onClick={e => setAnchor(e.currentTarget)}
      >
        {t('entity.requestResource')}
      </Button>
      <Menu
        anchorEl={anchor}
        open={!!anchor}
        onClose={() => setAnchor(null)}
        keepMounted={false}
      >
        {(types ?? []).map(rt => (
          <MenuItem key={rt.id} onClick={() => openForm(rt.id)}>
            {rt.title}
          </MenuItem>
        ))}
      </Menu>
    </>
  );

  let body: JSX.Element;
  if (loading && !value) {
    body = <Progress />;
  } else if (error) {
    body = (
      <Box>
        <ResponseErrorPanel error={error} title={t('resources.loadError')} />
        <Button onClick={retry}>Try again</Button>
      </Box>
    );
  } else if (!value || value.items.length === 0) {
    const dependsOnResources = (entity.relations ?? []).some(
      r => r.type === 'dependsOn' && r.targetRef.startsWith('resource:'),
    );
    body = dependsOnResources ? (
      <>
        <Typography variant="body2">
          {t('entity.noneProvisioned', {
            name: entity.metadata.title ?? entity.metadata.name,
          })}
        </Typography>
        <RelatedCatalogResources entity={entity} listed={[]} />
      </>
    ) : (
      <EmptyState
        missing="data"
        title={t('entity.emptyTitle')}
        description={`${
          entity.metadata.title ?? entity.metadata.name
        } does not depend on any provisioned resource. Request one: it is created for its owning team and linked to it in the catalog.`}
      />
    );
  } else {
    body = (
      <>
        <ResourceList
          resources={value.items}
          typeTitles={typeTitles}
          hideEntity
          label={`Resources of ${entity.metadata.name}`}
        />
        <Box mt={1} display="flex" justifyContent="flex-end">
          <Typography variant="body2" data-testid="entity-resources-total">
            {t('entity.total', { cost: formatMonthlyCost(total) })}
          </Typography>
        </Box>
        <RelatedCatalogResources entity={entity} listed={value.items} />
      </>
    );
  }

  return (
    <InfoCard title={t('entity.title')} action={<Box p={1}>{action}</Box>}>
      {body}
    </InfoCard>
  );
}
