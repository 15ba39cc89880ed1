/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { AdoptionService } from './AdoptionService';

const query = z
  .object({
    weeks: z
      .string()
      .regex(/^\d{1,2}$/, 'must be a whole number')
      .transform(Number)
      .refine(n => n >= 1 && n <= 52, 'must be between 1 and 52')
      .optional(),
    template: z
      .string()
      .regex(
        /^template:[a-z0-9._-]+\/[a-zA-Z0-9._-]+$/,
        'must be a template entity ref, e.g. template:default/typescript-service',
      )
      .optional(),
  })
  .strict();

/**
 * `GET /golden-paths/v1/adoption?weeks=12&template=template:default/x` under the scaffolder plugin
 * (`/api/scaffolder/golden-paths/v1/adoption`): the {@link AdoptionReport}. Bad parameters are a 400.
 * @internal
 */
export async function createAdoptionRouter(options: {
  adoption: AdoptionService;
  httpAuth: HttpAuthService;
}): Promise<express.Router> {
  const router = Router();
  router.get('/golden-paths/v1/adoption', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const parsed = query.safeParse(req.query);
    if (!parsed.success) {
      throw new InputError(
        `Invalid adoption query: ${parsed.error.issues
          .map(i => `${i.path.join('.') || 'query'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    res.json(
      await options.adoption.report(
        { weeks: parsed.data.weeks ?? 12, template: parsed.data.template },
        credentials,
      ),
    );
  });
  return router;
}
