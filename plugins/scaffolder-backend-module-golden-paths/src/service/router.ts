/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { Fleet } from './FleetService';

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}: ${result.error.issues.map(i => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`,
    );
  }
  return result.data;
}

const entityParams = z.object({
  kind: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
  namespace: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/),
});
const campaignBody = z.object({ template: z.string().regex(/^template:[a-z0-9._-]+\/[a-zA-Z0-9._-]+$/) });
const mergeParams = z.object({
  repo: z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
});

/**
 * HTTP API of the fleet view, mounted under the scaffolder plugin (`/api/scaffolder/golden-paths/v1`):
 * - `GET /templates`: versioned templates with versions, services per version, upgrades and counts;
 * - `GET /entities/:kind/:namespace/:name`: one service's template, version, newer changes and upgrade;
 * - `POST /campaigns` `{ template }`: upgrades for every service behind (platform team only);
 * - `GET /campaigns/:id`: a campaign's progress;
 * - `POST /upgrades/:repo/:version/merge`: merges a conflict-free, tested upgrade branch (owners only).
 * @internal
 */
export async function createGoldenPathsRouter(options: {
  fleet: Fleet;
  httpAuth: HttpAuthService;
}): Promise<express.Router> {
  const { fleet, httpAuth } = options;
  const router = Router();
  router.use(express.json());
  const base = '/golden-paths/v1';

  router.get(`${base}/templates`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: await fleet.overview(credentials) });
  });

  router.get(`${base}/entities/:kind/:namespace/:name`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const p = parse(entityParams, req.params, 'entity reference');
    res.json(await fleet.entity(`${p.kind.toLocaleLowerCase('en-US')}:${p.namespace}/${p.name}`, credentials));
  });

  router.post(`${base}/campaigns`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parse(campaignBody, req.body, 'campaign');
    res.status(201).json(await fleet.startCampaign(body.template, credentials));
  });

  router.get(`${base}/campaigns/:id`, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const id = parse(z.string().uuid(), req.params.id, 'campaign id');
    res.json(await fleet.campaign(id));
  });

  router.post(`${base}/upgrades/:repo/:version/merge`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const p = parse(mergeParams, req.params, 'upgrade');
    res.json(await fleet.merge(p.repo, p.version, credentials));
  });

  return router;
}
