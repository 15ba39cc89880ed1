/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LocalGitRepositories } from '../LocalGitRepositories';
import { readArchiveState } from '../RepositoryState';
import { GitAccessTokenStore } from './GitAccessTokenStore';
import { serveGitHttpBackend } from './gitHttpBackend';

/** Who calls the git server. @internal */
export interface GitCaller {
  /** `user:<ns>/<name>`, or the service's subject for backend services. */
  subject: string;
  /** Entity refs the caller owns through (user and groups); empty for services. */
  ownershipEntityRefs: string[];
}

const CHALLENGE = 'Basic realm="Paved git", charset="UTF-8"';

function tokenFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return undefined;
  if (/^bearer$/i.test(scheme)) return value.trim();
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    const user = i < 0 ? decoded : decoded.slice(0, i);
    const password = i < 0 ? '' : decoded.slice(i + 1);
    return password || user || undefined;
  }
  return undefined;
}

/** The clone URL of a repository on the embedded git server. @internal */
export function cloneUrlOf(scaffolderBaseUrl: string, name: string): string {
  return `${scaffolderBaseUrl.replace(/\/+$/, '')}/paved-git/${name}.git`;
}

/**
 * git's smart HTTP (and dumb protocol reads) for the embedded git server, plus the routes of the
 * "Git access token" UI, mounted on the scaffolder plugin's router:
 *
 * - `GET|POST /paved-git/<name>.git/...`: `git clone`, `git fetch`, `git push`. Credentials: HTTP Basic
 *   with a git access token (`pvg_...`, issued below) or a Backstage token as the password (any user
 *   name), or `Authorization: Bearer <Backstage token>`. Anonymous callers get 401 with a Basic
 *   challenge, so the git CLI asks for credentials. Every signed-in user may read; only members of
 *   the owning team of the repository's component may push; nobody may push to an archived
 *   repository (403).
 * - `GET /paved-git/<name>.git`: a short text page with the clone command and the files.
 * - `GET|POST /git-tokens`, `DELETE /git-tokens/:id`: the signed-in user's git access tokens
 *   (stored hashed; the token is returned once, by the POST).
 *
 * @internal
 */
export async function createGitHttpRouter(options: {
  repositories: LocalGitRepositories;
  tokens: GitAccessTokenStore;
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  discovery: DiscoveryService;
  logger: LoggerService;
  defaultBranch: string;
}): Promise<express.Router> {
  const { repositories, tokens, auth, httpAuth, userInfo, catalog, discovery, logger } = options;
  const router = Router();

  const serviceCredentials = () => auth.getOwnServiceCredentials();

  async function ownershipOfUser(userEntityRef: string): Promise<string[]> {
    const user = await catalog.getEntityByRef(userEntityRef, {
      credentials: await serviceCredentials(),
    });
    const groups = (user?.relations ?? [])
      .filter(r => r.type === 'memberOf')
      .map(r => r.targetRef);
    return [userEntityRef, ...groups];
  }

  async function authenticate(req: express.Request, res: express.Response): Promise<GitCaller> {
    const token = tokenFrom(req.headers.authorization);
    const refuse = (message: string) => {
      res.setHeader('WWW-Authenticate', CHALLENGE);
      return new AuthenticationError(message);
    };
    if (!token) {
      throw refuse(
        'Sign in to use the git server: use a git access token (portal: Golden paths > Git access tokens) as the password',
      );
    }
    const patUser = await tokens.verify(token);
    if (patUser) {
      return { subject: patUser, ownershipEntityRefs: await ownershipOfUser(patUser) };
    }
    let credentials: BackstageCredentials;
    try {
      credentials = await auth.authenticate(token);
    } catch {
      throw refuse('Invalid or expired token');
    }
    if (auth.isPrincipal(credentials, 'user')) {
      const info = await userInfo.getUserInfo(
        credentials as BackstageCredentials<BackstageUserPrincipal>,
      );
      return { subject: info.userEntityRef, ownershipEntityRefs: info.ownershipEntityRefs };
    }
    if (auth.isPrincipal(credentials, 'service')) {
      return { subject: credentials.principal.subject, ownershipEntityRefs: [] };
    }
    throw refuse('Invalid token');
  }

  /** The owning group of the repository's component (catalog), or of its catalog-info.yaml. */
  async function ownerOf(name: string): Promise<string | undefined> {
    const normalize = (owner: unknown) => {
      if (typeof owner !== 'string' || !owner) return undefined;
      try {
        return stringifyEntityRef(parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: 'default' }));
      } catch {
        return undefined;
      }
    };
    const component = await catalog.getEntityByRef(`component:default/${name}`, {
      credentials: await serviceCredentials(),
    });
    if (component) return normalize(component.spec?.owner);
    try {
      const { content } = await repositories.readFile({
        name,
        ref: 'HEAD',
        path: 'catalog-info.yaml',
      });
      return normalize(parseYaml(content.toString('utf8'))?.spec?.owner);
    } catch {
      return undefined;
    }
  }

  const GIT_PATH = /^\/paved-git\/([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)\.git(\/.*)?$/;

  router.all(GIT_PATH, async (req, res) => {
    const match = GIT_PATH.exec(req.path)!;
    const name = match[1];
    const rest = match[2] ?? '';
    const caller = await authenticate(req, res);
    if (!(await repositories.exists(name))) {
      throw new NotFoundError(`Repository '${name}' does not exist`);
    }
    const gitdir = repositories.gitdir(name);

    if (rest === '' || rest === '/') {
      if (req.method !== 'GET') throw new InputError('Only GET is supported here');
      const base = await discovery.getExternalBaseUrl('scaffolder');
      const state = await readArchiveState(gitdir);
      let files: string[] = [];
      try {
        files = (await repositories.listFiles({ name, ref: 'HEAD' })).files.map(f => f.path);
      } catch {
        files = [];
      }
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.status(200).send(
        [
          `Repository ${name}${state.archived ? ` (archived by ${state.archivedBy} at ${state.archivedAt}: read-only)` : ''}`,
          '',
          `Clone it:  git clone ${cloneUrlOf(base, name)}`,
          'Use a git access token from the portal (Golden paths > Git access tokens) as the password.',
          '',
          'Files:',
          ...files.map(f => `  ${f}`),
          '',
        ].join('\n'),
      );
      return;
    }

    const wantsPush =
      rest === '/git-receive-pack' ||
      (rest === '/info/refs' && req.query.service === 'git-receive-pack');
    let remoteUser: string | undefined;
    if (wantsPush) {
      if (caller.ownershipEntityRefs.length === 0) {
        throw new NotAllowedError('Backend services may not push');
      }
      const state = await readArchiveState(gitdir);
      if (state.archived) {
        throw new NotAllowedError(
          `Repository '${name}' is archived (retired by ${state.archivedBy ?? 'unknown'}): it is read-only`,
        );
      }
      const owner = await ownerOf(name);
      if (!owner || !caller.ownershipEntityRefs.includes(owner)) {
        throw new NotAllowedError(
          `Only members of the owning team${owner ? ` (${owner})` : ''} may push to '${name}'`,
        );
      }
      remoteUser = caller.subject;
      logger.info(`git push to ${name} by ${caller.subject}`);
    }
    await serveGitHttpBackend({
      req,
      res,
      projectRoot: repositories.directory,
      pathInfo: `/${name}.git${rest}`,
      remoteUser,
      logger,
    });
  });

  const newToken = z.object({
    name: z
      .string()
      .trim()
      .min(1, 'Give the token a name, e.g. "laptop"')
      .max(100, 'The name may have at most 100 characters'),
  });

  router.get('/git-tokens', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    res.json({ items: await tokens.list(userEntityRef) });
  });

  router.post('/git-tokens', express.json(), async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const parsed = newToken.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw new InputError(parsed.error.issues.map(i => i.message).join('; '));
    }
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    const { token, item } = await tokens.issue({ userEntityRef, name: parsed.data.name });
    logger.info(`Issued git access token ${item.id} for ${userEntityRef}`);
    res.status(201).json({ ...item, token });
  });

  router.delete('/git-tokens/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    if (!/^[0-9a-f-]{36}$/.test(req.params.id)) {
      throw new InputError(`Invalid token id '${req.params.id}'`);
    }
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    await tokens.revoke({ id: req.params.id, userEntityRef });
    logger.info(`Revoked git access token ${req.params.id} of ${userEntityRef}`);
    res.status(204).end();
  });

  // Anything else under /paved-git (the auth policy lets anonymous requests reach this router, so
  // that the git routes can answer with a Basic challenge) still needs credentials.
  router.use('/paved-git', async (req, _res, next) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    next();
  });

  return router;
}
