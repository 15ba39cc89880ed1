#!/usr/bin/env node
/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark of the "TypeScript HTTP service + PostgreSQL database" golden path against a running backend
// (see README, "Benchmark"). For each run it measures:
//   - run time: from POST /api/scaffolder/v2/tasks until the task is `completed` (goal: median < 15 s);
//   - catalog time: from the moment the run is seen completed until GET /api/catalog/entities/by-name
//     returns the component with its dependsOn relation on the database (goal: < 5 s).
// Each run is also checked: the database is ready, and its password (read from the credentials endpoint)
// appears neither in the task log, nor in the published repository's files, nor in the catalog entities.
// Afterwards every database it created is deleted through the API and awaited until `deleted`.
//
// Usage: PAVED_BENCH_BACKEND_URL=http://localhost:7017 yarn benchmark [runs=10]
const backend = (process.env.PAVED_BENCH_BACKEND_URL ?? 'http://localhost:7017').replace(/\/+$/, '');
const runs = Number(process.argv[2] ?? process.env.PAVED_BENCH_RUNS ?? 10);
const POLL_MS = 50;
const RUN_TIMEOUT_MS = 180_000;

let cachedToken;
async function token() {
  if (cachedToken && cachedToken.expires > Date.now()) return cachedToken.value;
  const res = await fetch(`${backend}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status} ${await res.text()}`);
  const value = (await res.json()).backstageIdentity.token;
  cachedToken = { value, expires: Date.now() + 10 * 60_000 };
  return value;
}

async function call(method, path, body, { allow404 = false } = {}) {
  const res = await fetch(`${backend}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${await token()}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (allow404 && res.status === 404) return undefined;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? res.json() : res.text();
}

const sleep = ms => new Promise(r => setTimeout(r, ms));
const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const seconds = ms => `${(ms / 1000).toFixed(2)} s`;

async function oneRun(i, created) {
  const name = `bench-${Date.now().toString(36)}-${i}`;
  const values = {
    name,
    description: `Benchmark service ${name} of the golden path.`,
    owner: 'group:default/orders-team',
    system: 'system:default/orders',
    database: true,
    databaseSize: 'small',
    redis: false,
  };
  const started = performance.now();
  const { id: taskId } = await call('POST', '/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/typescript-service',
    values,
  });
  let task;
  for (;;) {
    task = await call('GET', `/api/scaffolder/v2/tasks/${taskId}`);
    if (task.status === 'completed') break;
    if (task.status === 'failed' || task.status === 'cancelled') {
      throw new Error(`run ${name} ended ${task.status}`);
    }
    if (performance.now() - started > RUN_TIMEOUT_MS) throw new Error(`run ${name} timed out`);
    await sleep(POLL_MS);
  }
  const runMs = performance.now() - started;

  const completedAt = performance.now();
  let entity;
  for (;;) {
    entity = await call('GET', `/api/catalog/entities/by-name/component/default/${name}`, undefined, {
      allow404: true,
    });
    const dependsOn = entity?.relations?.some(
      r => r.type === 'dependsOn' && r.targetRef === `resource:default/${name}-db`,
    );
    if (dependsOn) break;
    if (performance.now() - completedAt > 60_000) throw new Error(`${name} not in the catalog after 60 s`);
    await sleep(POLL_MS);
  }
  const catalogMs = performance.now() - completedAt;

  // Checks: the database is ready and its password leaks nowhere
  const { items } = await call(
    'GET',
    `/api/provisioning/v1/resources?entityRef=${encodeURIComponent(`component:default/${name}`)}`,
  );
  const db = items.find(r => r.name === `${name}-db`);
  if (!db) throw new Error(`no database for ${name}`);
  created.push(db.id);
  if (db.state !== 'ready') throw new Error(`${name}-db is ${db.state}, expected ready`);
  const credentials = await call('GET', `/api/provisioning/v1/resources/${db.id}/credentials`);
  const secrets = [credentials.url, ...Object.values(credentials.values ?? {})].filter(
    s => typeof s === 'string' && s.length >= 6,
  );
  if (!secrets.length) throw new Error(`no credentials for ${name}-db`);
  const events = await call('GET', `/api/scaffolder/v2/tasks/${taskId}/events`);
  const raw = (path, opts) =>
    call('GET', `/api/scaffolder/paved-git/${name}/raw/main/${path}`, undefined, opts);
  const places = {
    'task log': JSON.stringify(events),
    'task output': JSON.stringify(task),
    'catalog component': JSON.stringify(entity),
    'catalog resource': JSON.stringify(
      await call('GET', `/api/catalog/entities/by-name/resource/default/${name}-db`, undefined, {
        allow404: true,
      }),
    ),
    'resource (API)': JSON.stringify(db),
  };
  for (const file of [
    'catalog-info.yaml',
    'README.md',
    '.env.example',
    'src/config.ts',
    'src/main.ts',
    'docs/index.md',
    '.github/workflows/ci.yaml',
  ]) {
    places[`repository ${file}`] = String(await raw(file));
  }
  for (const [where, text] of Object.entries(places)) {
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`a credential of ${name}-db is in the ${where}`);
    }
  }
  return { name, runMs, catalogMs };
}

async function cleanUp(ids) {
  for (const id of ids) {
    await call('DELETE', `/api/provisioning/v1/resources/${id}`).catch(e =>
      console.error(`delete ${id}: ${e.message}`),
    );
  }
  const deadline = Date.now() + 120_000;
  let left = [...ids];
  while (left.length && Date.now() < deadline) {
    const states = await Promise.all(
      left.map(id =>
        call('GET', `/api/provisioning/v1/resources/${id}`, undefined, { allow404: true })
          .then(r => r?.state ?? 'deleted')
          .catch(() => 'unknown'),
      ),
    );
    left = left.filter((_, i) => states[i] !== 'deleted');
    if (left.length) await sleep(500);
  }
  return left;
}

const created = [];
const results = [];
let failed = false;
try {
  for (let i = 0; i < runs; i++) {
    const r = await oneRun(i, created);
    results.push(r);
    console.log(
      `run ${String(i + 1).padStart(2)}/${runs} ${r.name}: completed in ${seconds(r.runMs)}, in the catalog ${seconds(r.catalogMs)} after completion`,
    );
  }
} catch (e) {
  failed = true;
  console.error(`benchmark failed: ${e.message}`);
} finally {
  const left = await cleanUp(created);
  console.log(
    `cleanup: ${created.length - left.length}/${created.length} databases deleted${
      left.length ? `; still not deleted: ${left.join(', ')}` : ''
    }`,
  );
  if (left.length) failed = true;
}

if (results.length) {
  const run = results.map(r => r.runMs);
  const cat = results.map(r => r.catalogMs);
  console.log(
    `\nruns: ${results.length}; run time median ${seconds(median(run))} (min ${seconds(Math.min(...run))}, max ${seconds(Math.max(...run))}; goal < 15 s)`,
  );
  console.log(
    `catalog after completion: median ${seconds(median(cat))} (max ${seconds(Math.max(...cat))}; goal < 5 s)`,
  );
  console.log('no credential found in the task logs, the repositories or the catalog');
  if (median(run) >= 15_000 || Math.max(...cat) >= 5_000) failed = true;
}
process.exit(failed ? 1 : 0);
