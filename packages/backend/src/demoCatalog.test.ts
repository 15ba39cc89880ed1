/*
 * Validates the demo catalog (catalog/*.yaml and the root catalog-info.yaml) the way the catalog does, without
 * starting a backend: YAML syntax, the default entity policies, each kind's schema, that every relation target
 * exists, that $text definitions exist, and that the demo is as large as the foundation issue asks.
 * e2e/backend.test.mjs checks the same entities through a running backend on SQLite and PostgreSQL.
 */
import {
  Entity,
  EntityPolicies,
  DefaultNamespaceEntityPolicy,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { parseAllDocuments } from 'yaml';

const root = resolve(__dirname, '../../..');
const files = [
  ...readdirSync(join(root, 'catalog'))
    .filter(f => f.endsWith('.yaml'))
    .map(f => join(root, 'catalog', f)),
  join(root, 'catalog-info.yaml'),
];

function load(): { file: string; entity: Entity }[] {
  return files.flatMap(file =>
    parseAllDocuments(readFileSync(file, 'utf8')).map(doc => {
      if (doc.errors.length) {
        throw new Error(`${file}: ${doc.errors.map(e => e.message).join('; ')}`);
      }
      return { file, entity: doc.toJS() as Entity };
    }),
  );
}

const validators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
];

describe('demo catalog', () => {
  const entries = load();
  const entities = entries.map(e => e.entity);
  const refs = new Set(entities.map(e => stringifyEntityRef(e)));
  const count = (kind: string) => entities.filter(e => e.kind === kind).length;

  it('parses as YAML and passes the entity policies and kind schemas', async () => {
    const policy = EntityPolicies.allOf([
      new DefaultNamespaceEntityPolicy(),
      new NoForeignRootFieldsEntityPolicy(),
      new FieldFormatEntityPolicy(),
      new SchemaValidEntityPolicy(),
    ]);
    for (const { file, entity } of entries) {
      const where = `${file}: ${entity.kind}:${entity.metadata?.name}`;
      await expect(policy.enforce(entity)).resolves.toBeDefined();
      const results = await Promise.all(validators.map(v => v.check(entity)));
      expect({ where, known: results.some(Boolean) }).toEqual({
        where,
        known: true,
      });
    }
  });

  it('has no duplicate entities', () => {
    expect(refs.size).toBe(entities.length);
  });

  it('is the size of a real mid-size company', () => {
    expect(count('Group')).toBeGreaterThanOrEqual(4);
    expect(count('User')).toBeGreaterThanOrEqual(8);
    expect(count('Domain')).toBeGreaterThanOrEqual(2);
    expect(count('System')).toBeGreaterThanOrEqual(3);
    expect(count('Component')).toBeGreaterThanOrEqual(8);
    expect(count('API')).toBeGreaterThanOrEqual(4);
    expect(count('Resource')).toBeGreaterThanOrEqual(4);
    const types = new Set(
      entities.filter(e => e.kind === 'Component').map(e => e.spec?.type),
    );
    expect([...types].sort()).toEqual(['library', 'service', 'website']);
  });

  it('points every relation at an entity that exists', () => {
    const missing: string[] = [];
    const check = (from: Entity, target: unknown, defaultKind: string) => {
      if (typeof target !== 'string') return;
      const ref = stringifyEntityRef(
        parseEntityRef(target, { defaultKind, defaultNamespace: 'default' }),
      );
      if (!refs.has(ref)) missing.push(`${stringifyEntityRef(from)} -> ${ref}`);
    };
    for (const e of entities) {
      const spec = (e.spec ?? {}) as Record<string, any>;
      check(e, spec.owner, 'group');
      check(e, spec.system, 'system');
      check(e, spec.domain, 'domain');
      check(e, spec.parent, 'group');
      for (const t of spec.dependsOn ?? []) check(e, t, 'component');
      for (const t of spec.providesApis ?? []) check(e, t, 'api');
      for (const t of spec.consumesApis ?? []) check(e, t, 'api');
      for (const t of spec.memberOf ?? []) check(e, t, 'group');
      for (const t of spec.children ?? []) check(e, t, 'group');
    }
    expect(missing).toEqual([]);
  });

  it('gives every component an owner, a system and a relation', () => {
    for (const e of entities.filter(x => x.kind === 'Component')) {
      const spec = e.spec as Record<string, any>;
      expect({ name: e.metadata.name, owner: !!spec.owner, system: !!spec.system }).toEqual({
        name: e.metadata.name,
        owner: true,
        system: true,
      });
      const relations =
        (spec.dependsOn?.length ?? 0) +
        (spec.providesApis?.length ?? 0) +
        (spec.consumesApis?.length ?? 0);
      expect(relations).toBeGreaterThan(0);
    }
  });

  // Definitions are inline: the catalog cannot resolve relative `$text` paths of `file` locations.
  it('has inline API definitions that are OpenAPI or AsyncAPI documents', () => {
    for (const { entity } of entries.filter(x => x.entity.kind === 'API')) {
      const definition = (entity.spec as any).definition;
      expect(typeof definition).toBe('string');
      const doc = parseAllDocuments(definition)[0].toJS();
      expect(doc.openapi ?? doc.asyncapi).toMatch(/^[23]\./);
      expect(Object.keys(doc.paths ?? doc.channels).length).toBeGreaterThan(0);
    }
  });

  it('makes the guest user a member of a product team', () => {
    const guest = entities.find(e => e.metadata.name === 'dana.ortiz');
    expect((guest?.spec as any)?.memberOf).toContain('orders-team');
  });
});
