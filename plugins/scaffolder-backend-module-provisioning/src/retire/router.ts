/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { LocalGitRepositories } from '../git/LocalGitRepositories';
import { ScaffolderProvisioning } from '../service/provisioningClient';
import { describePlan, planRetirement } from './planRetirement';
import { RetirementStore } from './RetirementStore';

/**
 * Read-only routes of "Retire a service", for its form and for audits:
 * - `GET /retirements/plan?entityRef=`: what retiring the component would remove (its resources,
 *   entity and location, repository), with the caller's credentials; changes nothing.
 * - `GET /retirements?entityRef=`: who retired it and when.
 * @internal
 */
export async function createRetirementRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  provisioning: ScaffolderProvisioning;
  repositories: LocalGitRepositories;
  store: RetirementStore;
}): Promise<express.Router> {
  const router = Router();
  const entityRefOf = (req: express.Request) => {
    const ref = req.query.entityRef;
    if (typeof ref !== 'string' || !ref) {
      throw new InputError('Query parameter entityRef is required, e.g. component:default/invoice-api');
    }
    return ref;
  };
  router.get('/retirements/plan', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, { allow: ['user'] });
    const { plan } = await planRetirement({
      entityRef: entityRefOf(req),
      catalog: options.catalog,
      provisioning: options.provisioning,
      repositories: options.repositories,
      credentials,
    });
    res.json({ plan, lines: describePlan(plan) });
  });
  router.get('/retirements', async (req, res) => {
    await options.httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: await options.store.list(entityRefOf(req)) });
  });
  return router;
}
