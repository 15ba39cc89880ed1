/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { spawn } from 'node:child_process';
import type { Request, Response } from 'express';

/**
 * Serves one request of git's smart HTTP protocol (or the dumb protocol) by running
 * `git http-backend` as a CGI program: spawned with an argument list and a minimal environment (never
 * a shell string, nothing of the backend's own environment but `PATH`), the request body piped to its
 * stdin and its CGI response (headers, blank line, body) streamed back.
 *
 * The caller authenticates and authorizes first: `remoteUser` is set only for callers allowed to push,
 * and `git http-backend` enables `git-receive-pack` only when `REMOTE_USER` is set.
 *
 * @internal
 */
export function serveGitHttpBackend(options: {
  req: Request;
  res: Response;
  /** Directory holding the bare repositories (`GIT_PROJECT_ROOT`). */
  projectRoot: string;
  /** `/<name>.git/<rest>` inside the project root. */
  pathInfo: string;
  /** The authenticated user allowed to push, or undefined for read-only access. */
  remoteUser?: string;
  logger: LoggerService;
}): Promise<void> {
  const { req, res, projectRoot, pathInfo, remoteUser, logger } = options;
  const query = req.originalUrl.includes('?')
    ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
    : '';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    HOME: projectRoot,
    REQUEST_METHOD: req.method,
    PATH_INFO: pathInfo,
    QUERY_STRING: query,
    CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
    // Push over HTTP needs no special client setting; pushes may be large.
    GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
  };
  if (req.headers['content-length']) {
    env.CONTENT_LENGTH = String(req.headers['content-length']);
  }
  if (req.headers['content-encoding']) {
    env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
  }
  if (req.headers['git-protocol']) {
    env.GIT_PROTOCOL = String(req.headers['git-protocol']);
  }
  if (remoteUser) {
    env.REMOTE_USER = remoteUser;
  }

  return new Promise(resolve => {
    const child = spawn('git', ['http-backend'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let headerBuffer = Buffer.alloc(0);
    let headersDone = false;
    let stderr = '';
    child.stderr.on('data', d => {
      stderr = `${stderr}${d}`.slice(-4000);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      headerBuffer = Buffer.concat([headerBuffer, chunk]);
      let end = headerBuffer.indexOf('\r\n\r\n');
      let sepLength = 4;
      if (end < 0) {
        end = headerBuffer.indexOf('\n\n');
        sepLength = 2;
      }
      if (end < 0) return;
      headersDone = true;
      const head = headerBuffer.subarray(0, end).toString('latin1');
      let status = 200;
      for (const line of head.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') {
          status = parseInt(value, 10) || 500;
        } else {
          res.setHeader(name, value);
        }
      }
      res.status(status);
      const rest = headerBuffer.subarray(end + sepLength);
      if (rest.length) res.write(rest);
    });
    child.on('error', error => {
      logger.error(`git http-backend could not start: ${error.message}`);
      if (!res.headersSent) res.status(500).end('git http-backend could not start\n');
      else res.end();
      resolve();
    });
    child.on('close', code => {
      if (code !== 0) {
        logger.warn(`git http-backend exited with ${code} for ${req.method} ${pathInfo}: ${stderr.trim()}`);
      }
      if (!headersDone && !res.headersSent) {
        res.status(500).end('git http-backend failed\n');
      } else {
        res.end();
      }
      resolve();
    });
    child.stdin.on('error', () => {
      // The backend may stop reading early (e.g. it refused the request); its response says why.
    });
    req.pipe(child.stdin);
  });
}
