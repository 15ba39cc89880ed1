// Real backend processes for the end-to-end tests that need more than the one portal: `node packages/backend/src/index.ts`
// as the production image runs `dist/` (through Backstage's node transform, no build), with `app-config.yaml` plus a
// config file of the test's own, in a process group of its own so that SIGKILL takes the whole process down like an
// orchestrator would. Used by golden-campaign, replicas and rollout-replicas.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './portal.mjs';

/** The local PostgreSQL server of the tests (trust auth). */
export const PG_URL = process.env.PAVED_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';

const BACKEND_DIR = join(ROOT, 'packages', 'backend');
/** Backstage's node transform (TypeScript without a build), for `node --require`. */
export const nodeTransform = createRequire(join(BACKEND_DIR, 'package.json')).resolve(
  '@backstage/cli-node/config/nodeTransform.cjs',
);

/** `backend.database.connection` for {@link PG_URL}: `{ host, port, user, password }`. */
export function pgConnection() {
  const u = new URL(PG_URL);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
  };
}

/**
 * Starts one backend process. `config` is written as JSON to `configFile` and given after `app-config.yaml`;
 * `dataDir` is its PAVED_DATA_DIR; `args` go before the config flags (e.g. `--migrate-only`); `env` adds variables.
 * Returns `{ name, pid, url, exited, exitCode(), log(), kill(), stop() }`: `exited` resolves with the exit code,
 * `kill()` sends SIGKILL to the process group and `stop()` SIGTERM then SIGKILL, each waiting at most 15 s (ms:
 * 15,000) for the exit.
 */
export function startBackendProcess({ name, port, config, configFile, dataDir, args = [], env = {} }) {
  writeFileSync(configFile, JSON.stringify(config));
  let log = '';
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      nodeTransform,
      'src/index.ts',
      ...args,
      '--config',
      join(ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: BACKEND_DIR,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PAVED_DATA_DIR: dataDir, NODE_ENV: 'development', ...env },
    },
  );
  child.stdout.on('data', d => (log += d));
  child.stderr.on('data', d => (log += d));
  let exitCode;
  const exited = new Promise(resolve =>
    child.once('exit', code => {
      exitCode = code;
      resolve(code);
    }),
  );
  const signal = async sig => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      return; // gone
    }
    // an unref'ed timer: a pending 15 s timer would keep the test process alive after its last test
    await Promise.race([exited, new Promise(r => setTimeout(r, 15_000).unref())]);
  };
  return {
    name,
    pid: child.pid,
    url: `http://localhost:${port}`,
    exited,
    exitCode: () => exitCode,
    log: () => log,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM').then(() => signal('SIGKILL')),
  };
}

/** The last `n` lines of a backend's log. */
export const tail = (backend, n = 60) => backend.log().split('\n').slice(-n).join('\n');
