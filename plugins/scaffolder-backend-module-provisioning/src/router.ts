/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { LocalGitRepositories } from './git/LocalGitRepositories';

/**
 * Read-only HTTP access to the local repositories for authenticated callers, mounted on the scaffolder
 * plugin's router:
 * `GET /paved-git/:repo/raw/:ref/<path>` answers a file's bytes as `text/plain` (never rendered as
 * HTML on the backend's origin). Errors (400 invalid name/path, 404 unknown repo/ref/file) use
 * Backstage's error body via the framework's error middleware.
 * @internal
 */
export async function createPavedGitRouter(options: {
  repositories: LocalGitRepositories;
  httpAuth: HttpAuthService;
}): Promise<express.Router> {
  const { repositories, httpAuth } = options;
  const router = Router();
  router.get('/paved-git/:repo/raw/:ref/*', async (req, res) => {
    // Signed-in users and other backend plugins only (the default auth policy already rejects the
    // rest with 401; this keeps the route closed even if a policy is added for the path).
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { content, commit } = await repositories.readFile({
      name: req.params.repo,
      ref: req.params.ref,
      path: (req.params as Record<string, string>)[0] ?? '',
    });
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('ETag', `"${commit}"`);
    res.setHeader('Cache-Control', 'no-cache');
    res.status(200).send(content);
  });
  return router;
}
