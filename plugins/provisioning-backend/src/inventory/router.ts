import { HttpAuthService } from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import type { RecommendationService } from '../recommendations/RecommendationService';
import type { InventoryService } from './InventoryService';

/**
 * The rightsizing and inventory endpoints (`GET /v1/recommendations`, `GET /v1/inventory`,
 * `POST /v1/resources/{id}/repair`, `POST /v1/resources/{id}/accept-drift`), validated by the same OpenAPI spec
 * as the rest of the API; mounted next to the main router.
 * @internal
 */
export async function createInventoryRouter(options: {
  httpAuth: HttpAuthService;
  inventory: InventoryService;
  recommendations: RecommendationService;
}): Promise<express.Router> {
  const { httpAuth, inventory, recommendations } = options;
  const router = createValidatedOpenApiRouter<typeof spec>(spec);

  router.get('/v1/recommendations', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const q = req.query;
    res.json(
      await recommendations.list(
        {
          owners: q.owner === undefined ? undefined : [q.owner].flat(),
          resourceId: q.resourceId,
        },
        credentials,
      ),
    );
  });

  router.get('/v1/inventory', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const q = req.query;
    res.json(
      await inventory.list(
        {
          filter: q.filter,
          owners: q.owner === undefined ? undefined : [q.owner].flat(),
          offset: q.offset === undefined ? undefined : Number(q.offset),
          limit: q.limit === undefined ? undefined : Number(q.limit),
        },
        credentials,
      ),
    );
  });

  router.post('/v1/resources/:id/repair', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await inventory.repair(req.params.id, { credentials, request: req }));
  });

  router.post('/v1/resources/:id/accept-drift', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await inventory.accept(req.params.id, { credentials, request: req }));
  });

  return router;
}
