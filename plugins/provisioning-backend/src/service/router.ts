import { HttpAuthService } from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import type { ResourceState } from '@paved/backstage-plugin-provisioning-common';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { assertSafeJson } from './parameters';
import type { ResourceService } from './ResourceService';

const many = (value: unknown): string[] | undefined =>
  value === undefined ? undefined : [value].flat().map(String);

/**
 * The HTTP API under `/v1`, validated by the OpenAPI spec (src/schema/openapi.yaml).
 * @internal
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: ResourceService;
  maxBodyBytes: number;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = createValidatedOpenApiRouter(spec, {
    middleware: [
      express.json({ limit: options.maxBodyBytes }),
      (req, _res, next) => {
        assertSafeJson(req.body);
        assertSafeJson(req.query, 'query');
        next();
      },
    ],
  }) as unknown as express.Router;

  const user = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });
  const any = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/v1/types', async (req, res) => {
    await any(req);
    res.json({ items: service.listTypes() });
  });

  router.post('/v1/estimates', async (req, res) => {
    await any(req);
    res.json(service.estimate(req.body));
  });

  router.get('/v1/resources', async (req, res) => {
    const credentials = await any(req);
    const q = req.query as Record<string, unknown>;
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
          owners: many(q.owner),
          type: q.type as string | undefined,
          states: many(q.state) as ResourceState[] | undefined,
          entityRef: q.entityRef as string | undefined,
          includeDeleted: q.includeDeleted === 'true',
          cursor: q.cursor as string | undefined,
          limit,
        },
        credentials,
      ),
    );
  });

  router.post('/v1/resources', async (req, res) => {
    const credentials = await any(req);
    res.status(201).json(await service.create(req.body, { credentials, request: req }));
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
    res.status(202).json(await service.delete(req.params.id, { credentials, request: req }));
  });

  router.get('/v1/resources/:id/events', async (req, res) => {
    const credentials = await any(req);
    res.json({ items: await service.events(req.params.id, { credentials }) });
  });

  router.post('/v1/resources/:id/retry', async (req, res) => {
    const credentials = await user(req);
    res.json(await service.retry(req.params.id, { credentials, request: req }));
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

  return router;
}
