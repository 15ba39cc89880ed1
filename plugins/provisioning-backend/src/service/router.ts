import { HttpAuthService } from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { InputError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { assertSafeJson } from './parameters';
import type { ResourceService } from './ResourceService';
import type { RolloutService } from '../rollouts/RolloutService';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { CostService } from '../costs/CostService';
import { registerCostRoutes } from '../costs/router';

/**
 * The HTTP API under `/v1`, validated by the OpenAPI spec (src/schema/openapi.yaml) through the typed
 * OpenAPI router: request parameters, bodies and responses are typed from the spec.
 * @internal
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: ResourceService;
  maxBodyBytes: number;
  /** The rollouts API (`/v1/rollouts`); answers 404 without it. */
  rollouts?: RolloutService;
  /** The cost endpoints (`/v1/costs…`); absent: not mounted. */
  costs?: CostService;
  catalog?: CatalogService;
  /**
   * Publishes a signal echo to one user (`POST /v1/signal-echo`); when left out, or when it answers false, the
   * endpoint answers 503 and pages keep their polling fallback.
   */
  echoSignal?: (nonce: string, userEntityRef: string) => Promise<boolean>;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = createValidatedOpenApiRouter<typeof spec>(spec, {
    middleware: [
      express.json({ limit: options.maxBodyBytes }),
      (req, _res, next) => {
        assertSafeJson(req.body);
        assertSafeJson(req.query, 'query');
        next();
      },
    ],
  });

  const user = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });
  const any = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/v1/types', async (req, res) => {
    await any(req);
    res.json({ items: await service.listTypesWithVersions() });
  });

  router.post('/v1/estimates', async (req, res) => {
    await any(req);
    res.json(await service.estimate(req.body));
  });

  router.get('/v1/resources', async (req, res) => {
    const credentials = await any(req);
    const q = req.query;
    let limit: number | undefined;
    if (q.limit !== undefined) {
      limit = Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        throw new InputError('limit must be an integer between 1 and 500');
      }
    }
    res.json(
      await service.list(
        {
          owners: q.owner === undefined ? undefined : [q.owner].flat(),
          type: q.type,
          name: q.name,
          states: q.state === undefined ? undefined : [q.state].flat(),
          entityRef: q.entityRef,
          includeDeleted: q.includeDeleted === 'true',
          ...(q.deviations !== undefined ? { withDeviations: q.deviations === 'true' } : {}),
          cursor: q.cursor,
          limit,
        },
        credentials,
      ),
    );
  });

  router.post('/v1/resources', async (req, res) => {
    const credentials = await any(req);
    const key = req.header('idempotency-key');
    const { resource, created } = await service.create(req.body, {
      credentials,
      request: req,
      ...(key !== undefined ? { idempotencyKey: key } : {}),
    });
    res.status(created ? 201 : 200).json(resource);
  });

  router.get('/v1/approvals', async (req, res) => {
    const credentials = await user(req);
    res.json(await service.listApprovals(credentials));
  });

  router.get('/v1/resources/:id', async (req, res) => {
    const credentials = await any(req);
    res.json(await service.get(req.params.id, { credentials }));
  });

  router.patch('/v1/resources/:id', async (req, res) => {
    const credentials = await user(req);
    res.json(await service.update(req.params.id, req.body, { credentials, request: req }));
  });

  router.delete('/v1/resources/:id', async (req, res) => {
    const credentials = await any(req);
    const force = req.query.force === 'true';
    res
      .status(202)
      .json(await service.delete(req.params.id, { credentials, request: req, force }));
  });

  router.get('/v1/resources/:id/events', async (req, res) => {
    const credentials = await any(req);
    res.json({ items: await service.events(req.params.id, { credentials }) });
  });

  router.get('/v1/resources/:id/dependents', async (req, res) => {
    const credentials = await any(req);
    res.json({ items: await service.dependents(req.params.id, { credentials }) });
  });

  router.post('/v1/resources/:id/retry', async (req, res) => {
    const credentials = await user(req);
    res.json(await service.retry(req.params.id, { credentials, request: req }));
  });

  router.post('/v1/resources/:id/extend', async (req, res) => {
    const credentials = await user(req);
    res.json(await service.extend(req.params.id, req.body, { credentials, request: req }));
  });

  router.post('/v1/resources/:id/withdraw', async (req, res) => {
    const credentials = await user(req);
    res.json(await service.withdraw(req.params.id, { credentials, request: req }));
  });

  router.post('/v1/resources/:id/approve', async (req, res) => {
    const credentials = await user(req);
    res.json(await service.approve(req.params.id, req.body ?? {}, { credentials, request: req }));
  });

  router.post('/v1/resources/:id/reject', async (req, res) => {
    const credentials = await user(req);
    res.json(await service.reject(req.params.id, req.body, { credentials, request: req }));
  });

  router.get('/v1/resources/:id/credentials', async (req, res) => {
    const credentials = await user(req);
    res.json(await service.credentials(req.params.id, { credentials, request: req }));
  });

  // --- rollouts (issue 14 item 2) ---
  const rollouts = () => {
    if (!options.rollouts) throw new NotFoundError('Rollouts are not enabled');
    return options.rollouts;
  };

  router.get('/v1/rollouts', async (req, res) => {
    await any(req);
    res.json({ items: await rollouts().list({ type: req.query.type, status: req.query.status }) });
  });

  router.post('/v1/rollouts', async (req, res) => {
    const credentials = await user(req);
    res.status(201).json(await rollouts().create(req.body, { credentials, request: req }));
  });

  router.get('/v1/rollouts/:id', async (req, res) => {
    await any(req);
    res.json(await rollouts().get(req.params.id));
  });

  router.post('/v1/rollouts/:id/pause', async (req, res) => {
    const credentials = await user(req);
    res.json(await rollouts().pause(req.params.id, { credentials, request: req }));
  });

  router.post('/v1/rollouts/:id/resume', async (req, res) => {
    const credentials = await user(req);
    res.json(await rollouts().resume(req.params.id, { credentials, request: req }));
  });

  router.post('/v1/rollouts/:id/abort', async (req, res) => {
    const credentials = await user(req);
    res.json(await rollouts().abort(req.params.id, { credentials, request: req }));
  });
  if (options.costs) {
    registerCostRoutes(router, {
      costs: options.costs,
      catalog: options.catalog,
      credentials: any,
    });
  }

  router.post('/v1/signal-echo', async (req, res) => {
    const credentials = await user(req);
    const published = await options.echoSignal?.(
      req.body.nonce,
      credentials.principal.userEntityRef,
    );
    if (!published) {
      throw new ServiceUnavailableError('Signals are not available');
    }
    res.status(202).json({ nonce: req.body.nonce });
  });

  return router;
}
