#!/usr/bin/env node
// Generates a realistic catalog of N entities (default 100,000) for scale benchmarks: groups in a
// department/team hierarchy, systems, components, APIs and resources, related the way a real
// platform's catalog is (ownedBy, partOf, dependsOn, providesApis, consumesApis, parent/child).
// Deterministic (seeded), no dependencies; writes one multi-document YAML file (entities as JSON
// flow documents, which YAML reads as they are) that a `file` catalog location can read.
//
//   node scripts/generate-entities.mjs [--count 100000] [--health-urls 2000]
//        [--health-base http://127.0.0.1:7351/svc] [--out /tmp/entities.yaml]
//
// Composition per 100,000: 0.5 % groups (10 departments, the rest teams), 1.5 % systems, 50 %
// components (services, websites, libraries), 18 % APIs, 30 % resources (databases, caches,
// queues, buckets; a tenth with `paved.dev/resource-state` as the provisioning provider sets it).
// The first `--health-urls` services get `paved.dev/health-url` = `<health-base>/<n>`.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Mulberry32: a small seeded PRNG, so every run generates the same catalog. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builds the entities. Returns them with the number of health URLs actually assigned.
 * @param {{count: number, healthUrls: number, healthBase: string, seed: number}} options
 */
export function generateEntities(options) {
  const random = prng(options.seed);
  const pick = list => list[Math.floor(random() * list.length)];
  const count = options.count;
  const groupCount = Math.max(12, Math.round(count * 0.005));
  const systemCount = Math.max(3, Math.round(count * 0.015));
  const componentCount = Math.round(count * 0.5);
  const apiCount = Math.round(count * 0.18);
  const resourceCount = count - groupCount - systemCount - componentCount - apiCount;
  const departments = 10;
  const words = ['orders', 'payments', 'billing', 'search', 'catalog', 'shipping', 'identity', 'pricing', 'inventory', 'notifications', 'analytics', 'checkout', 'fraud', 'loyalty', 'reviews', 'media'];
  const pad = n => String(n).padStart(5, '0');
  const entities = [];

  const groupName = i => (i < departments ? `dept-${words[i]}` : `team-${pad(i)}`);
  for (let i = 0; i < groupCount; i++) {
    const isDept = i < departments;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: groupName(i), title: isDept ? `${words[i]} department` : `Team ${pad(i)}` },
      spec: {
        type: isDept ? 'department' : 'team',
        ...(isDept ? {} : { parent: groupName(i % departments) }),
        children: [],
      },
    });
  }
  const team = i => groupName(departments + (i % (groupCount - departments)));
  const systemName = i => `sys-${words[i % words.length]}-${pad(i)}`;
  for (let i = 0; i < systemCount; i++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: systemName(i), title: `${words[i % words.length]} system ${i}` },
      spec: { owner: team(i) },
    });
  }
  // Each system has a few resources, APIs and components; relations stay mostly inside a system.
  const systemOf = i => systemName(i % systemCount);
  const resourceName = i => `res-${pad(i)}`;
  const resourceTypes = ['database', 'database', 'cache', 'queue', 'bucket'];
  const states = ['ready', 'ready', 'ready', 'ready', 'provisioning', 'updating', 'failed'];
  for (let i = 0; i < resourceCount; i++) {
    const provisioned = i % 10 === 0;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: resourceName(i),
        title: `${words[i % words.length]} ${resourceTypes[i % resourceTypes.length]} ${i}`,
        ...(provisioned
          ? { annotations: { 'paved.dev/resource-state': pick(states), 'paved.dev/resource-id': `bench-${i}` } }
          : {}),
      },
      spec: { type: resourceTypes[i % resourceTypes.length], owner: team(i), system: systemOf(i) },
    });
  }
  const apiName = i => `api-${pad(i)}`;
  for (let i = 0; i < apiCount; i++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: apiName(i), title: `${words[i % words.length]} API ${i}`, description: 'Generated for the scale benchmark' },
      spec: {
        type: 'openapi',
        lifecycle: pick(['production', 'production', 'experimental', 'deprecated']),
        owner: team(i),
        system: systemOf(i),
        definition: `openapi: 3.0.0\ninfo: { title: ${apiName(i)}, version: 1.0.0 }\npaths: {}\n`,
      },
    });
  }
  let healthUrls = 0;
  const componentName = i => `svc-${pad(i)}`;
  for (let i = 0; i < componentCount; i++) {
    const type = i % 10 < 7 ? 'service' : i % 10 < 9 ? 'website' : 'library';
    const dependsOn = [`resource:${resourceName(i % resourceCount)}`];
    if (random() < 0.5) dependsOn.push(`resource:${resourceName((i * 7 + 3) % resourceCount)}`);
    // a service calls an earlier service now and then (no cycles by construction)
    if (i > 0 && random() < 0.3) dependsOn.push(`component:${componentName(Math.floor(random() * i))}`);
    const annotations = {};
    if (type === 'service' && healthUrls < options.healthUrls) {
      annotations['paved.dev/health-url'] = `${options.healthBase}/${healthUrls}`;
      healthUrls += 1;
    }
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: componentName(i),
        title: `${words[i % words.length]} ${type} ${i}`,
        description: `Generated ${type} ${i}`,
        tags: [words[i % words.length], type],
        annotations,
      },
      spec: {
        type,
        lifecycle: pick(['production', 'production', 'production', 'experimental']),
        owner: team(i),
        system: systemOf(i),
        dependsOn,
        ...(type === 'service' ? { providesApis: [apiName(i % apiCount)] } : {}),
        consumesApis: random() < 0.6 ? [apiName((i * 13 + 5) % apiCount)] : [],
      },
    });
  }
  return { entities, healthUrls };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100000' },
      'health-urls': { type: 'string', default: '2000' },
      'health-base': { type: 'string', default: 'http://127.0.0.1:7351/svc' },
      out: { type: 'string', default: 'entities.yaml' },
      seed: { type: 'string', default: '11' },
    },
  });
  const started = Date.now();
  const { entities, healthUrls } = generateEntities({
    count: Number(values.count),
    healthUrls: Number(values['health-urls']),
    healthBase: values['health-base'],
    seed: Number(values.seed),
  });
  // JSON is valid YAML flow syntax: one document per entity, parsed fast and without surprises.
  writeFileSync(values.out, entities.map(e => `---\n${JSON.stringify(e)}\n`).join(''));
  const byKind = {};
  for (const e of entities) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
  process.stdout.write(
    `generated ${entities.length} entities (${Object.entries(byKind).map(([k, n]) => `${n} ${k}`).join(', ')}; ${healthUrls} health URLs) into ${values.out} in ${Date.now() - started} ms\n`,
  );
}
