#!/usr/bin/env node
// Scale benchmark: the real Paved backend (packages/backend, Backstage's catalog and every Paved
// plugin) on PostgreSQL with 100,000 generated entities (scripts/generate-entities.mjs). The
// catalog's processing loop ingests 30-70 entities/s on this shared 2-core machine, so the
// entities are written into the catalog's own tables by scripts/catalog-bulk-load.mjs (relations
// from the catalog's BuiltinKindsEntityProcessor, search rows from its buildEntitySearch), and the
// real processing loop then reprocesses a sample to check it produces the same entities. Prints:
//   - bulk load time, and the real loop's result for the sample,
//   - catalog list page p95, entity facets p95, entity page p95 (by name), status of one entity p95,
//   - status overview p95 (first page, a filtered page, state=down),
//   - one probe run over 2,000 health URLs (a local health server) and the snapshot write,
//   - rows the snapshot writes when 1 % of the probed states change,
//   - backend RSS (now and peak), and that the provisioning API and its catalog provider answer.
//
//   node scripts/benchmark-catalog-scale.mjs [--count 100000] [--samples 40] [--keep]
//
// Uses PostgreSQL from POSTGRES_HOST/PORT/USER/PASSWORD (default postgres@127.0.0.1:5432) with the
// throwaway database prefix `paved_bench_scale_` (one database per plugin), ports 7350 (backend)
// and 7351 (health server), and /tmp/paved-scale-bench; all are removed at the end (also on
// failure or Ctrl-C) unless --keep. Bounded: it gives up after --budget minutes (default 20; about
// 8 minutes on a quiet 2-core machine, 15-20 when the machine is shared, see the README).

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { generateEntities } from './generate-entities.mjs';
import { bulkLoadCatalog } from './catalog-bulk-load.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const { Client } = require('pg');

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    'health-urls': { type: 'string', default: '2000' },
    samples: { type: 'string', default: '20' },
    budget: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
  },
});
const COUNT = Number(args.count);
const HEALTH_URLS = Number(args['health-urls']);
const SAMPLES = Number(args.samples);
const DEADLINE = Date.now() + Number(args.budget) * 60_000;
const PORT = 7350;
const HEALTH_PORT = 7351;
const PREFIX = 'paved_bench_scale_';
const DIR = '/tmp/paved-scale-bench';
const TOKEN = randomBytes(24).toString('hex');
const pgConfig = {
  host: process.env.POSTGRES_HOST || '127.0.0.1',
  port: Number(process.env.POSTGRES_PORT || 5432),
  user: process.env.POSTGRES_USER || 'postgres',
  password: process.env.POSTGRES_PASSWORD || '',
};
const base = `http://localhost:${PORT}`;
const log = message => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const sleep = ms => new Promise(r => setTimeout(r, ms));

// ---------------------------------------------------------------- health server (2,000 URLs)
// /svc/N answers 200 {"status":"ok"} after 5-50 ms, or 503 with a message once N is flipped.
const failing = new Set();
const healthServer = http.createServer((req, res) => {
  const n = Number((req.url ?? '').split('/')[2]);
  setTimeout(() => {
    if (failing.has(n)) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'down', message: `replica ${n} lost its database connection` }));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    }
  }, 5 + (n % 46));
});

// ---------------------------------------------------------------- cleanup
let backend;
async function dropDatabases() {
  const client = new Client({ ...pgConfig, database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${PREFIX}%`]);
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    return rows.length;
  } finally {
    await client.end();
  }
}
async function stopBackend() {
  if (!backend || backend.exitCode !== null) return;
  try {
    process.kill(-backend.pid, 'SIGTERM');
  } catch {
    return;
  }
  await Promise.race([new Promise(r => backend.once('exit', r)), sleep(10_000)]);
  try {
    process.kill(-backend.pid, 'SIGKILL');
  } catch {
    // gone
  }
}
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  await stopBackend();
  healthServer.close();
  if (!args.keep) {
    const dropped = await dropDatabases().catch(e => (log(`could not drop databases: ${e.message}`), 0));
    rmSync(DIR, { recursive: true, force: true });
    log(`cleaned up: ${dropped} databases ${PREFIX}* dropped, ${DIR} removed`);
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => cleanup().finally(() => process.exit(130)));
}

// ---------------------------------------------------------------- helpers
async function api(path, init = {}) {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
async function measure(name, paths) {
  const times = [];
  let last;
  for (let i = 0; i < SAMPLES; i++) {
    const path = typeof paths === 'function' ? paths(i) : paths;
    const t = performance.now();
    last = await api(path);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const row = { name, p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1] };
  log(`${name}: p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms (n=${SAMPLES})`);
  return { row, last };
}
function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = key => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}
/** The pid of the node process listening on the backend port (yarn and the CLI are its parents). */
function listenerPid() {
  const sockets = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap(f => readFileSync(f, 'utf8').split('\n').slice(1));
  for (const line of sockets) {
    const cols = line.trim().split(/\s+/);
    if (cols[1]?.endsWith(`:${PORT.toString(16).toUpperCase().padStart(4, '0')}`) && cols[3] === '0A') {
      const inode = cols[9];
      for (const pid of require('node:fs').readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
        try {
          for (const fd of require('node:fs').readdirSync(`/proc/${pid}/fd`)) {
            if (require('node:fs').readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return Number(pid);
          }
        } catch {
          // not ours or gone
        }
      }
    }
  }
  return undefined;
}
let backendLog = '';
const probeRuns = () => [...backendLog.matchAll(/Probe run: (\d+) entities read from the catalog in (\d+) ms; (\d+) health URLs in (\d+) ms; snapshot: (\d+) rows written, (\d+) unchanged, (\d+) deleted in (\d+) ms/g)]
  .map(m => ({ entities: +m[1], catalogMs: +m[2], probed: +m[3], probeMs: +m[4], written: +m[5], unchanged: +m[6], deleted: +m[7], snapshotMs: +m[8] }));
async function triggerProbeRun() {
  const before = probeRuns().length;
  const started = Date.now();
  await api('/api/service-status/.backstage/scheduler/v1/tasks/service-status-probes/trigger', { method: 'POST' });
  while (probeRuns().length === before) {
    if (Date.now() > DEADLINE) throw new Error('time budget exceeded waiting for a probe run');
    if (/Error: .*service-status-probes|task.*service-status-probes.*failed/i.test(backendLog.slice(-5000))) {
      throw new Error(`probe task failed:\n${backendLog.slice(-3000)}`);
    }
    await sleep(200);
  }
  return { ...probeRuns()[before], wallMs: Date.now() - started };
}

/**
 * Asks the catalog's real processing loop to reprocess `refs` (POST /api/catalog/refresh) and
 * compares what it stitches with what the bulk loader wrote: same spec, annotations and relations.
 */
async function verifyWithProcessingLoop(refs, entities) {
  const db = new Client({ ...pgConfig, database: `${PREFIX}catalog` });
  await db.connect();
  const started = performance.now();
  try {
    const before = new Map();
    for (const ref of refs) {
      const [kind, rest] = ref.split(':');
      const [namespace, name] = rest.split('/');
      before.set(ref, await api(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`));
    }
    // a provider re-emitting the entities would do the same; the refresh endpoint schedules them now
    await db.query(`UPDATE refresh_state SET next_update_at = now() WHERE entity_ref = ANY($1)`, [refs]);
    for (const ref of refs) await api('/api/catalog/refresh', { method: 'POST', body: JSON.stringify({ entityRef: ref }) });
    for (;;) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM refresh_state WHERE entity_ref = ANY($1) AND result_hash <> 'bulk-load'`, [refs]);
      if (rows[0].n === refs.length) break;
      if (performance.now() - started > 120_000) throw new Error('the processing loop did not reprocess the sample within 120 s');
      await sleep(500);
    }
    await sleep(1500); // stitching follows processing
    const mismatches = [];
    for (const ref of refs) {
      const [kind, rest] = ref.split(':');
      const [namespace, name] = rest.split('/');
      const after = await api(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`);
      const a = JSON.stringify({ spec: before.get(ref).spec, annotations: before.get(ref).metadata.annotations, relations: before.get(ref).relations });
      const b = JSON.stringify({ spec: after.spec, annotations: after.metadata.annotations, relations: after.relations });
      if (a !== b) mismatches.push(`${ref}:\n  bulk: ${a}\n  loop: ${b}`);
    }
    log(`processing loop reprocessed ${refs.length} bulk-loaded entities in ${Math.round(performance.now() - started)} ms: ${mismatches.length ? `DIFFERENT\n${mismatches.join('\n')}` : 'identical spec, annotations and relations'}`);
    return { count: refs.length, identical: mismatches.length === 0 };
  } finally {
    await db.end();
  }
}

// ---------------------------------------------------------------- run
async function main() {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  if ((await dropDatabases()) > 0) log(`dropped leftover ${PREFIX}* databases`);

  let t = performance.now();
  const { entities, healthUrls } = generateEntities({
    count: COUNT,
    healthUrls: HEALTH_URLS,
    healthBase: `http://127.0.0.1:${HEALTH_PORT}/svc`,
    seed: 11,
  });
  const entitiesFile = join(DIR, 'entities.yaml');
  const byKind = {};
  for (const e of entities) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
  log(`generated ${entities.length} entities (${Object.entries(byKind).map(([k, n]) => `${n} ${k}`).join(', ')}; ${healthUrls} health URLs) in ${Math.round(performance.now() - t)} ms`);
  const sample = kind => entities.filter(e => e.kind === kind).map(e => e.metadata.name);
  const components = sample('Component');
  const healthComponents = entities.filter(e => e.metadata.annotations?.['paved.dev/health-url']).map(e => e.metadata.name);
  const teams = sample('Group').filter(n => n.startsWith('team-'));

  await new Promise(r => healthServer.listen(HEALTH_PORT, '127.0.0.1', r));

  const configFile = join(DIR, 'app-config.bench.json');
  writeFileSync(configFile, JSON.stringify({
    app: { baseUrl: `http://localhost:${PORT}` },
    backend: {
      baseUrl: base,
      listen: { port: PORT },
      database: { client: 'pg', connection: pgConfig, prefix: PREFIX },
      auth: { externalAccess: [{ type: 'static', options: { token: TOKEN, subject: 'scale-benchmark' } }] },
    },
    catalog: {
      // the generated catalog only (bulk loaded; the array replaces app-config.yaml's demo locations)
      locations: [],
      // at this size reprocessing everything every ~2 minutes (the default) is most of the CPU
      processingInterval: { minutes: 30 },
    },
    search: { collators: { catalog: { schedule: { frequency: { hours: 6 }, timeout: { minutes: 30 }, initialDelay: { hours: 1 } } } } },
    serviceStatus: {
      probes: {
        allow: ['127.0.0.1', 'localhost'],
        // triggered by the benchmark (one run at a time), not every 30 s
        schedule: { frequency: { trigger: 'manual' }, timeout: { minutes: 10 } },
        concurrency: 32,
      },
    },
  }));

  t = performance.now();
  backend = spawn(process.execPath, [join(ROOT, '.yarn/releases/yarn-4.13.0.cjs'), 'workspace', 'backend', 'start',
    '--config', join(ROOT, 'app-config.yaml'), '--config', configFile], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'development', PAVED_DATA_DIR: DIR, PAVED_DEMO_SERVICES: '0', LOG_LEVEL: 'info' },
  });
  const append = d => {
    backendLog += d;
    if (backendLog.length > 4_000_000) backendLog = backendLog.slice(-2_000_000);
  };
  backend.stdout.on('data', append);
  backend.stderr.on('data', append);

  // wait for the backend (the catalog has run its migrations when it answers)
  const kinds = ['component', 'api', 'resource', 'group', 'system'].map(k => `filter=kind=${k}`).join('&');
  let served = 0;
  let lastLog = 0;
  let readyMs;
  let loaded;
  while (served < COUNT) {
    if (Date.now() > DEADLINE) throw new Error(`time budget exceeded while loading: ${served} of ${COUNT} entities after ${Math.round((performance.now() - t) / 1000)} s`);
    if (backend.exitCode !== null) throw new Error(`backend exited:\n${backendLog.slice(-4000)}`);
    try {
      served = (await api(`/api/catalog/entities/by-query?${kinds}&limit=1`)).totalItems;
      readyMs ??= performance.now() - t;
    } catch {
      // not up yet
    }
    if (readyMs !== undefined && !loaded) {
      const catalogDb = new Client({ ...pgConfig, database: `${PREFIX}catalog` });
      await catalogDb.connect();
      try {
        loaded = await bulkLoadCatalog({ client: catalogDb, entities, sourceKey: 'paved-scale-benchmark', locationRef: `file:${entitiesFile}` });
      } finally {
        await catalogDb.end();
      }
      log(`bulk loaded ${loaded.entities} entities, ${loaded.relations} relations, ${loaded.searchRows} search rows in ${(loaded.ms / 1000).toFixed(1)} s (ms per phase: ${JSON.stringify(loaded.phases)})`);
      continue;
    }
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      log(`catalog serves ${served} of ${COUNT} entities (${Math.round((performance.now() - t) / 1000)} s since start)`);
    }
    await sleep(served < COUNT ? 2000 : 0);
  }
  const loadMs = performance.now() - t;
  log(`backend answered after ${(readyMs / 1000).toFixed(1)} s; catalog serves all ${COUNT} entities after ${(loadMs / 1000).toFixed(1)} s`);
  const sampleRefs = [`component:default/${components[2]}`, `resource:default/res-00010`, `group:default/${teams[3]}`, 'api:default/api-00004', 'system:default/sys-orders-00000'];
  const verification = await verifyWithProcessingLoop(sampleRefs, entities);
  entities.length = 0;
  const pid = listenerPid();
  const rssLoaded = pid ? rssMb(pid) : undefined;

  const rows = [];
  const random = (list, i) => list[(i * 7919) % list.length];
  rows.push((await measure('catalog list page (20 components, ordered by name, with total)', '/api/catalog/entities/by-query?filter=kind=component&limit=20&orderField=metadata.name,asc')).row);
  // What the catalog page (Backstage 1.55, cursor pagination, the default) really sends: the page without its total
  // (`totalItems=exclude`), and the total as a separate `limit=0` request that fills in the count when it arrives.
  rows.push((await measure('catalog page: its list request (20 by name, totalItems=exclude)', '/api/catalog/entities/by-query?filter=kind=component&limit=20&orderField=metadata.name,asc&totalItems=exclude')).row);
  rows.push((await measure('catalog page: its count request (limit=0)', '/api/catalog/entities/by-query?filter=kind=component&limit=0&orderField=metadata.name,asc')).row);
  const firstPage = await api('/api/catalog/entities/by-query?filter=kind=component&limit=20&orderField=metadata.name,asc&totalItems=exclude');
  const nextPage = `/api/catalog/entities/by-query?limit=20&cursor=${encodeURIComponent(firstPage.pageInfo.nextCursor)}`;
  rows.push((await measure('catalog page: next page (its cursor request)', nextPage)).row);
  rows.push((await measure('catalog list page filtered (owner + type=service)', i => `/api/catalog/entities/by-query?filter=kind=component,spec.type=service,relations.ownedBy=group:default/${random(teams, i)}&limit=20&orderField=metadata.name,asc`)).row);
  rows.push((await measure('catalog facets (spec.lifecycle, spec.type of components)', '/api/catalog/entity-facets?facet=spec.lifecycle&facet=spec.type&filter=kind=component')).row);
  rows.push((await measure('entity page: entity by name', i => `/api/catalog/entities/by-name/component/default/${random(components, i)}`)).row);

  // one probe run over the 2,000 health URLs, which also writes the first snapshot (every row new)
  const first = await triggerProbeRun();
  log(`probe run 1: catalog read of ${first.entities} entities ${first.catalogMs} ms; ${first.probed} health URLs in ${first.probeMs} ms; snapshot ${first.written} written / ${first.unchanged} unchanged in ${first.snapshotMs} ms`);
  const steady = await triggerProbeRun();
  log(`probe run 2 (nothing changed): probes ${steady.probeMs} ms; snapshot ${steady.written} written / ${steady.unchanged} unchanged in ${steady.snapshotMs} ms`);
  // 1 % of the probed states change
  for (let n = 0; n < HEALTH_URLS; n += 100) failing.add(n);
  const db = new Client({ ...pgConfig, database: `${PREFIX}service-status` });
  await db.connect();
  const runStart = Date.now();
  const changed = await triggerProbeRun();
  const { rows: [{ n: rowsInDb }] } = await db.query('SELECT count(*)::int AS n FROM status_snapshot WHERE updated_at >= $1', [runStart]);
  const { rows: [{ n: totalRows }] } = await db.query('SELECT count(*)::int AS n FROM status_snapshot');
  await db.end();
  log(`probe run 3 (${failing.size} of ${HEALTH_URLS} states changed): snapshot ${changed.written} written (${rowsInDb} rows in the table updated) of ${totalRows} in ${changed.snapshotMs} ms`);

  rows.push((await measure('entity page: status of the entity (roll-up)', i => `/api/service-status/v1/status?entityRef=component:default/${random(healthComponents, i)}`)).row);
  const overview = await measure('status overview, first page (100)', '/api/service-status/v1/statuses?limit=100');
  rows.push(overview.row);
  rows.push((await measure('status overview, owner filter', i => `/api/service-status/v1/statuses?limit=100&owner=group:default/${random(teams, i)}`)).row);
  const down = await measure('status overview, state=down', '/api/service-status/v1/statuses?limit=100&state=down');
  rows.push(down.row);
  const degradedReasons = down.last.items[0]?.reasons?.[0]?.message ?? down.last.items[0]?.reasons?.length;

  // provisioning keeps working at this size: its API answers and its entity provider has run
  const types = await api('/api/provisioning/v1/types');
  const resources = await api('/api/provisioning/v1/resources');
  const providerOk = /provisioning/i.test(backendLog) && !/catalog-backend-module-provisioning.*error/i.test(backendLog);

  const rssEnd = pid ? rssMb(pid) : undefined;
  process.stdout.write(`\n## Scale benchmark: ${COUNT} entities on PostgreSQL (real Paved backend, Backstage catalog)\n\n`);
  process.stdout.write(`| | p50 | p95 |\n| --- | --- | --- |\n`);
  for (const r of rows) process.stdout.write(`| ${r.name} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms |\n`);
  process.stdout.write(`\n- catalog load: bulk load of ${loaded.entities} entities (${loaded.relations} relations, ${loaded.searchRows} search rows) ${(loaded.ms / 1000).toFixed(0)} s; backend answering after ${(readyMs / 1000).toFixed(0)} s; real processing loop re-ran ${verification.count} of them: ${verification.identical ? 'identical' : 'DIFFERENT'}\n`);
  process.stdout.write(`- probe run (the scheduled task, run ${[first, steady, changed].map(r => `${r.wallMs} ms`).join(' / ')} end to end): one catalog read of ${first.entities} Components and Resources ${[first, steady, changed].map(r => r.catalogMs).join(' / ')} ms; ${first.probed} health URLs probed (concurrency 32) in ${[first, steady, changed].map(r => r.probeMs).join(' / ')} ms; snapshot of ${totalRows} entities: first write ${first.snapshotMs} ms (${first.written} rows), unchanged run ${steady.snapshotMs} ms (${steady.written} rows)\n`);
  process.stdout.write(`- 1 % of probed states changed (${failing.size} of ${HEALTH_URLS}): ${changed.written} snapshot rows written (${((changed.written / totalRows) * 100).toFixed(3)} % of ${totalRows}; ${rowsInDb} counted in the table), in ${changed.snapshotMs} ms\n`);
  process.stdout.write(`- overview state=down: ${down.last.items.length} rows on the first page; first reason: ${degradedReasons}\n`);
  process.stdout.write(`- provisioning: ${types.items?.length ?? types.length ?? '?'} types, ${resources.items?.length ?? 0} resources listed; provider ${providerOk ? 'ran' : 'not seen in the log'}\n`);
  if (!rssLoaded || !rssEnd) process.stdout.write('- backend RSS: the backend process was not found\n');
  if (rssLoaded && rssEnd) process.stdout.write(`- backend RSS: ${rssLoaded.rss} MB after load, ${rssEnd.rss} MB at the end, peak ${rssEnd.peak} MB\n`);
}

const started = Date.now();
main()
  .then(() => log(`done in ${Math.round((Date.now() - started) / 1000)} s`))
  .catch(error => {
    process.exitCode = 1;
    log(`FAILED: ${error.stack ?? error}`);
    log(`backend log tail:\n${backendLog.slice(-3000)}`);
  })
  .finally(cleanup);
