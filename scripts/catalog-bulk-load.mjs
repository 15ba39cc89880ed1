// Bulk loader for scale benchmarks: writes entities into a running Backstage catalog's own tables
// exactly as its processing and stitching would (refresh_state, refresh_state_references,
// relations, final_entities, search), in large batched statements. The catalog's processing loop
// takes about 30-70 entities/s on a busy 2-core machine (100,000 entities: 25-50 min), which no
// bounded benchmark can wait for; this loads 100,000 in about a minute.
//
// Fidelity: relations come from the catalog's own BuiltinKindsEntityProcessor, the stitched
// entity (relations sorted by type and target, uid, etag = sha1 of its stable JSON) follows the
// catalog's performStitching, and the search rows come from the catalog's own buildEntitySearch.
// The entities are owned by the entity-provider key `sourceKey` (never orphans) and are due for
// reprocessing only after `nextUpdateInMs`, so the real loop can be asked to reprocess a few
// (POST /api/catalog/refresh) to check that it produces the same result.

import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const { BuiltinKindsEntityProcessor } = require('@backstage/plugin-catalog-backend');
const stableStringify = require('fast-json-stable-stringify');
// Not exported by the package; the file is loaded by path so that search rows are the catalog's own.
const { buildEntitySearch } = require(
  join(
    dirname(require.resolve('@backstage/plugin-catalog-backend')),
    'database/operations/stitcher/buildEntitySearch.cjs.js',
  ),
);

const sha1 = text => createHash('sha1').update(text).digest('hex');
const refOf = e => `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLocaleLowerCase('en-US');

/** INSERT ... SELECT FROM unnest(...) of many rows in one statement. */
async function insertColumns(client, table, columns, types, rows, batch = 20_000) {
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    const arrays = columns.map((_, c) => part.map(r => r[c]));
    const select = types.map((t, c) => `$${c + 1}::${t}[]`).join(', ');
    await client.query(
      `INSERT INTO ${table} (${columns.map(c => `"${c}"`).join(', ')}) SELECT * FROM unnest(${select})`,
      arrays,
    );
  }
}

/**
 * Runs `fn` with the secondary indexes and foreign keys of `tables` dropped, then recreates them
 * from their own definitions (pg_indexes, pg_get_constraintdef): one index build per index
 * instead of one index update per row. Runs inside the caller's transaction.
 */
async function withoutIndexes(client, tables, fn) {
  const { rows: indexes } = await client.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.tablename = ANY($1) AND i.schemaname = current_schema()
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  const { rows: foreignKeys } = await client.query(
    `SELECT conname, conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE contype = 'f' AND conrelid::regclass::text = ANY($1)`,
    [tables],
  );
  for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT "${fk.conname}"`);
  for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
  await fn();
  for (const index of indexes) await client.query(index.indexdef);
  for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT "${fk.conname}" ${fk.def}`);
}

/**
 * Loads `entities` (raw catalog-info entities) into the catalog database behind `client`.
 * @param {{client: import('pg').Client, entities: object[], sourceKey: string, locationRef: string, nextUpdateInMs?: number}} options
 * @returns {Promise<{entities: number, relations: number, searchRows: number, ms: number, phases: Record<string, number>}>}
 */
export async function bulkLoadCatalog(options) {
  const started = performance.now();
  const { client, entities, sourceKey, locationRef } = options;
  const processor = new BuiltinKindsEntityProcessor();
  const now = new Date();
  const nextUpdate = new Date(now.getTime() + (options.nextUpdateInMs ?? 24 * 3600_000));

  const states = [];
  const byRef = new Map();
  const relations = [];
  for (const raw of entities) {
    const unprocessed = {
      ...raw,
      metadata: {
        ...raw.metadata,
        annotations: {
          'backstage.io/managed-by-location': locationRef,
          'backstage.io/managed-by-origin-location': locationRef,
          ...raw.metadata.annotations,
        },
      },
    };
    const entityId = randomUUID();
    const processed = {
      ...unprocessed,
      metadata: { namespace: 'default', ...unprocessed.metadata, uid: entityId },
    };
    const ref = refOf(processed);
    await processor.postProcessEntity(processed, { type: 'url', target: locationRef }, result => {
      if (result.type === 'relation') {
        const { source, type, target } = result.relation;
        relations.push([entityId, refOf({ kind: source.kind, metadata: source }), type, refOf({ kind: target.kind, metadata: target })]);
      }
    });
    states.push({ entityId, ref, unprocessed, processed });
    byRef.set(ref, []);
  }
  // relations of each source entity, as performStitching selects them (distinct, ordered by type, target)
  for (const [, source, type, target] of relations) {
    byRef.get(source)?.push(`${type}\u0000${target}`);
  }

  const phases = { prepare: Math.round(performance.now() - started) };
  let mark = performance.now();
  const finals = [];
  const search = [];
  for (const s of states) {
    const entity = structuredClone(s.processed);
    entity.relations = [...new Set(byRef.get(s.ref))].sort().map(key => {
      const [type, targetRef] = key.split('\u0000');
      return { type, targetRef };
    });
    const hash = sha1(stableStringify({ ...entity }));
    entity.metadata.etag = hash;
    finals.push([s.entityId, hash, JSON.stringify(entity), s.ref]);
    for (const row of buildEntitySearch(s.entityId, entity)) {
      search.push([row.entity_id, row.key, row.value, row.original_value]);
    }
  }

  phases.stitch = Math.round(performance.now() - mark);
  mark = performance.now();
  const timed = async (name, fn) => {
    const t = performance.now();
    await fn();
    phases[name] = Math.round(performance.now() - t);
  };
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    await client.query('SET LOCAL synchronous_commit = off');
    await timed('refresh_state', () => insertColumns(
      client,
      'refresh_state',
      ['entity_id', 'entity_ref', 'unprocessed_entity', 'unprocessed_hash', 'processed_entity', 'result_hash', 'cache', 'errors', 'next_update_at', 'last_discovery_at', 'location_key'],
      ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'text'],
      states.map(s => {
        const unprocessed = JSON.stringify(s.unprocessed);
        return [s.entityId, s.ref, unprocessed, sha1(unprocessed), JSON.stringify(s.processed), 'bulk-load', '{}', '[]', nextUpdate, now, sourceKey];
      }),
    ));
    await timed('references', () => insertColumns(client, 'refresh_state_references', ['source_key', 'target_entity_ref'], ['text', 'text'], states.map(s => [sourceKey, s.ref])));
    await timed('relations', () => withoutIndexes(client, ['relations'], () => insertColumns(client, 'relations', ['originating_entity_id', 'source_entity_ref', 'type', 'target_entity_ref'], ['text', 'text', 'text', 'text'], relations)));
    await timed('final_entities', () => insertColumns(client, 'final_entities', ['entity_id', 'hash', 'final_entity', 'entity_ref', 'last_updated_at'], ['text', 'text', 'text', 'text', 'timestamptz'], finals.map(f => [...f, now])));
    await timed('search', () => withoutIndexes(client, ['search'], () => insertColumns(client, 'search', ['entity_id', 'key', 'value', 'original_value'], ['text', 'text', 'text', 'text'], search, 50_000)));
    await timed('commit', () => client.query('COMMIT'));
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  // VACUUM as well as ANALYZE: a catalog filled by the processing loop over time is vacuumed by autovacuum (also
  // insert-only tables, PostgreSQL 13+), which sets the visibility map. Right after a bulk load nothing is set, so
  // every index-only scan of `search` visits the heap: the catalog's list of 20 components ordered by name took
  // 1.3-3.0 s at 100,000 entities instead of 110-170 ms (measured 2026-12-06, same data, before/after VACUUM).
  await timed('vacuum-analyze', () => client.query('VACUUM (ANALYZE) refresh_state, relations, final_entities, search, refresh_state_references'));
  return { entities: states.length, relations: relations.length, searchRows: search.length, ms: Math.round(performance.now() - started), phases };
}
