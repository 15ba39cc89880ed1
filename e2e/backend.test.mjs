// The real backend starts on SQLite and on PostgreSQL (the local server), and the catalog API returns the demo
// entities, without processing errors, with a guest token. Each backend runs on its own port with its own
// databases (PostgreSQL: a random prefix, dropped afterwards), so this runs beside a developer's portal.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import pg from 'pg';
import { ROOT, token } from './lib/portal.mjs';

const PG_URL = process.env.PAVED_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';

/** Every entity the demo catalog declares, as kind:namespace/name refs. */
function declaredEntityRefs() {
  const files = [
    ...readdirSync(join(ROOT, 'catalog'))
      .filter(f => f.endsWith('.yaml'))
      .map(f => join(ROOT, 'catalog', f)),
    join(ROOT, 'catalog-info.yaml'),
  ];
  const refs = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const e = doc.toJS();
      if (e?.apiVersion?.startsWith('backstage.io/')) {
        refs.push(`${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase());
      }
    }
  }
  return refs;
}

async function startBackend({ name, port, config }) {
  const dir = mkdtempSync(join(tmpdir(), `paved-backend-${name}-`));
  const configFile = join(dir, 'app-config.test.yaml');
  writeFileSync(
    configFile,
    JSON.stringify({
      backend: {
        baseUrl: `http://localhost:${port}`,
        listen: { port },
        ...config.backend,
      },
      catalog: { processingInterval: { seconds: 2 } },
    }),
  );
  let log = '';
  const child = spawn(
    process.execPath,
    [
      join(ROOT, '.yarn/releases/yarn-4.13.0.cjs'),
      'workspace',
      'backend',
      'start',
      '--config',
      join(ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PAVED_DATA_DIR: dir, NODE_ENV: 'development' },
    },
  );
  child.stdout.on('data', d => (log += d));
  child.stderr.on('data', d => (log += d));
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await new Promise(r => child.once('exit', r).once('error', r) && setTimeout(r, 10_000));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `http://localhost:${port}`, stop, log: () => log };
}

async function waitForEntities(url, expected, log) {
  const deadline = Date.now() + 180_000;
  let last = [];
  while (Date.now() < deadline) {
    if (/\nNode\.js v\d+/.test(log())) {
      throw new Error(`the backend crashed:\n${log().split('\n').slice(-60).join('\n')}`);
    }
    try {
      const res = await fetch(`${url}/api/catalog/entities?fields=kind,metadata.name,metadata.namespace,status`, {
        headers: { Authorization: `Bearer ${await token(url)}` },
      });
      if (res.ok) {
        last = await res.json();
        const refs = last.map(e => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase());
        if (expected.every(r => refs.includes(r))) return last;
      }
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    `catalog did not return every demo entity in time; got ${last.length}. Backend log tail:\n${log().split('\n').slice(-40).join('\n')}`,
  );
}

const expected = declaredEntityRefs();

const variants = [
  { name: 'sqlite', port: 7131, config: { backend: { database: { client: 'better-sqlite3', connection: ':memory:' } } } },
  {
    name: 'postgres',
    port: 7132,
    prefix: `paved_e2e_${process.pid}_`,
    get config() {
      const u = new URL(PG_URL);
      return {
        backend: {
          database: {
            client: 'pg',
            prefix: this.prefix,
            connection: {
              host: u.hostname,
              port: Number(u.port || 5432),
              user: decodeURIComponent(u.username || 'postgres'),
              password: decodeURIComponent(u.password),
            },
          },
        },
      };
    },
  },
];

for (const variant of variants) {
  describe(`backend on ${variant.name}`, () => {
    let backend;
    after(async () => {
      await backend?.stop();
      if (variant.prefix) {
        const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
        await client.connect();
        const { rows } = await client.query('select datname from pg_database where datname like $1', [
          `${variant.prefix}%`,
        ]);
        for (const { datname } of rows) {
          await client.query(`drop database if exists ${client.escapeIdentifier(datname)} with (force)`);
        }
        await client.end();
      }
    });

    test('starts and serves every demo entity through the catalog API, without processing errors', async () => {
      backend = await startBackend(variant);
      const entities = await waitForEntities(backend.url, expected, backend.log);
      assert.ok(expected.length >= 35, `demo catalog too small: ${expected.length} entities`);
      const withErrors = entities.filter(e => (e.status?.items ?? []).some(i => i.level === 'error'));
      assert.deepEqual(
        withErrors.map(e => `${e.kind}:${e.metadata.name}: ${e.status.items.map(i => i.message).join('; ')}`),
        [],
      );
      const unauthenticated = await fetch(`${backend.url}/api/catalog/entities?limit=1`);
      assert.equal(unauthenticated.status, 401);
    });
  });
}
