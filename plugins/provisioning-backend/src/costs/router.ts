import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import type express from 'express';
import type { spec } from '../schema/openapi.generated';
import type { CostFilter } from './KnexCostStore';
import type { CostService } from './CostService';

type Query = Record<string, string | string[] | undefined>;

function single(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw new InputError(`${name} may be given once`);
  return v;
}

function ref(q: Query, name: string, defaultKind: string): string | undefined {
  const v = single(q, name);
  if (v === undefined || v === '') return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(v, { defaultKind, defaultNamespace: 'default' }));
  } catch {
    throw new InputError(`${name} '${v}' is not a valid entity ref`);
  }
}

/**
 * The filters of a cost query from its query string (entity refs normalised; `includeDependencies` resolves
 * the component's `dependsOn` Resources to provisioned resource ids through the catalog).
 * @internal
 */
export async function costFilter(
  q: Query,
  options: { catalog?: CatalogService; credentials: BackstageCredentials },
): Promise<CostFilter> {
  const filter: CostFilter = {
    owner: ref(q, 'owner', 'group'),
    system: ref(q, 'system', 'system'),
    component: ref(q, 'component', 'component'),
    domain: ref(q, 'domain', 'domain'),
  };
  if (single(q, 'includeDependencies') === 'true' && filter.component && options.catalog) {
    const entity = await options.catalog.getEntityByRef(filter.component, { credentials: options.credentials });
    const deps = (entity?.relations ?? [])
      .filter(r => r.type === 'dependsOn' && parseEntityRef(r.targetRef).kind.toLocaleLowerCase('en-US') === 'resource')
      .map(r => r.targetRef);
    if (deps.length) {
      const { items } = await options.catalog.getEntitiesByRefs(
        { entityRefs: deps, fields: ['metadata.annotations'] },
        { credentials: options.credentials },
      );
      filter.alsoResourceIds = items
        .map(e => e?.metadata.annotations?.['paved.dev/resource-id'])
        .filter((id): id is string => Boolean(id));
    }
  }
  return filter;
}

/**
 * Binds the cost endpoints (`/v1/costs`, `/v1/costs/summary`, `/v1/costs/export.csv`) on the typed router of
 * the provisioning API. Readable by every signed-in user and by services (showback is public inside the org).
 * @internal
 */
export function registerCostRoutes(
  router: ApiRouter<typeof spec>,
  options: {
    costs: CostService;
    catalog?: CatalogService;
    credentials: (req: express.Request) => Promise<BackstageCredentials>;
  },
) {
  const { costs } = options;
  router.get('/v1/costs', async (req, res) => {
    const credentials = await options.credentials(req);
    const q = req.query as Query;
    const filter = await costFilter(q, { catalog: options.catalog, credentials });
    res.json(
      await costs.costs({
        groupBy: single(q, 'groupBy'),
        from: single(q, 'from'),
        to: single(q, 'to'),
        filter,
      }),
    );
  });

  router.get('/v1/costs/summary', async (req, res) => {
    const credentials = await options.credentials(req);
    const filter = await costFilter(req.query as Query, { catalog: options.catalog, credentials });
    res.json(await costs.summary(filter));
  });

  router.get('/v1/costs/export.csv', async (req, res) => {
    const credentials = await options.credentials(req);
    const q = req.query as Query;
    const filter = await costFilter(q, { catalog: options.catalog, credentials });
    const from = single(q, 'from');
    const to = single(q, 'to');
    const lines = costs.exportCsv({ from, to, filter });
    // the first chunk validates the range before the headers go out
    const first = await lines.next();
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="paved-costs-${(from ?? to ?? 'current').replace(/[^0-9-]/g, '')}.csv"`,
    );
    if (!first.done) res.write(first.value);
    for await (const chunk of lines) res.write(chunk);
    res.end();
  });
}
