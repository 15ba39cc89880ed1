/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { validate } from 'jsonschema';
import yaml from 'yaml';
import { mockContext } from './__testUtils__/fakeProvisioning';


jest.setTimeout(60_000);
const TEMPLATES = resolve(__dirname, '../../../templates');

/** Renders the skeleton with the scaffolder's own fetch:template action. */
async function render(
  dir: ReturnType<typeof createMockDirectory>,
  values: Record<string, unknown>,
) {
  const action = createFetchTemplateAction({
    reader: { readUrl: jest.fn(), readTree: jest.fn(), search: jest.fn() },
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  const workspacePath = dir.resolve('workspace');
  fs.mkdirSync(workspacePath, { recursive: true });
  const ctx = mockContext({ input: { url: './skeleton', values }, workspacePath });
  const tmp = dir.resolve('tmp');
  fs.mkdirSync(tmp, { recursive: true });
  ctx.createTemporaryDirectory = async () => tmp;
  ctx.templateInfo = {
    baseUrl: pathToFileURL(
      join(TEMPLATES, 'typescript-service/template.yaml'),
    ).toString(),
    entityRef: 'template:default/typescript-service',
  };
  await action.handler(ctx);
  return workspacePath;
}

const baseValues = {
  name: 'invoice-api',
  description: 'Creates and sends "invoices" for orders.',
  owner: 'group:default/orders-team',
  system: 'system:default/orders',
  databaseResource: 'invoice-api-db',
  redisResource: 'invoice-api-cache',
};

describe('TypeScript HTTP service skeleton', () => {
  const dir = createMockDirectory();
  afterEach(() => dir.clear());

  it('renders a service whose own tests pass and which answers /healthz and /readyz', async () => {
    const out = await render(dir, {
      ...baseValues,
      database: true,
      redis: false,
    });

    // Its unit tests pass with plain Node.js, nothing installed.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--test', '--test-reporter=tap'],
      { cwd: out, env: { PATH: process.env.PATH } },
    ).catch(e => {
      throw new Error(`node --test failed: ${e.stdout}\n${e.stderr}`);
    });
    expect(stdout).toMatch(/# fail 0/);
    expect(stdout).toMatch(/# pass [1-9]/);

    // The server starts and answers.
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: out,
      env: { PATH: process.env.PATH, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((ok, fail) => {
        let buffer = '';
        child.stdout.on('data', chunk => {
          buffer += chunk;
          for (const line of buffer.split('\n')) {
            try {
              const entry = JSON.parse(line);
              if (entry.message === 'listening') ok(entry.port);
            } catch {
              // partial line
            }
          }
        });
        child.once('exit', code => fail(new Error(`exited with ${code}`)));
        setTimeout(() => fail(new Error('did not start')), 10_000);
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      const root = await (await fetch(`http://127.0.0.1:${port}/`)).json();
      expect(root).toEqual({
        service: 'invoice-api',
        description: 'Creates and sends "invoices" for orders.',
      });
    } finally {
      child.kill();
    }
  });

  it('writes catalog-info.yaml, TechDocs, Dockerfile and CI without secrets', async () => {
    const out = await render(dir, {
      ...baseValues,
      database: true,
      redis: true,
    });
    const read = (p: string) => fs.readFileSync(join(out, p), 'utf8');

    const entity = yaml.parse(read('catalog-info.yaml'));
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'invoice-api',
        description: 'Creates and sends "invoices" for orders.',
        tags: ['typescript', 'http'],
        annotations: {
          'backstage.io/techdocs-ref': 'dir:.',
          'paved.dev/health-url':
            'https://invoice-api.brightcart.example/healthz',
          'paved.dev/golden-path': 'typescript-service',
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'group:default/orders-team',
        system: 'system:default/orders',
        dependsOn: [
          'resource:default/invoice-api-db',
          'resource:default/invoice-api-cache',
        ],
      },
    });
    expect(yaml.parse(read('mkdocs.yml')).site_name).toBe('invoice-api');
    expect(read('docs/index.md')).toContain('DATABASE_URL');
    expect(read('Dockerfile')).toContain('CMD ["node", "src/main.ts"]');
    expect(JSON.parse(read('package.json')).name).toBe('invoice-api');

    const env = read('.env.example');
    expect(env).toMatch(/^DATABASE_URL=$/m);
    expect(env).toMatch(/^REDIS_URL=$/m);

    const ci = yaml.parse(read('.github/workflows/ci.yaml'));
    expect(ci.env.ENTITY_REF).toBe('component:default/invoice-api');
    expect(Object.keys(ci.jobs)).toEqual(['test', 'build', 'deploy']);
    const report = ci.jobs.deploy.steps.find((s: any) =>
      String(s.run).includes('/service-status/v1/deployments'),
    );
    expect(report.if).toBe('always()');
    expect(report.env.TOKEN).toBe('${{ secrets.PAVED_DEPLOYMENTS_TOKEN }}');
    expect(ci.jobs.test.steps.map((s: any) => s.run)).toContain('npm test');
  });

  it('leaves out the resources that were not asked for', async () => {
    const out = await render(dir, {
      ...baseValues,
      database: false,
      redis: false,
    });
    const entity = yaml.parse(
      fs.readFileSync(join(out, 'catalog-info.yaml'), 'utf8'),
    );
    expect(entity.spec.dependsOn).toBeUndefined();
    expect(fs.readFileSync(join(out, '.env.example'), 'utf8')).not.toContain(
      'DATABASE_URL',
    );
  });
});

describe('templates', () => {
  const actions = new Set([
    'fetch:template',
    'catalog:fetch',
    'provisioning:resource:create',
    'provisioning:resource:await',
    'provisioning:resource:release',
    'provisioning:resource:preview',
    'publish:paved-git',
    'paved:catalog:register',
    'paved:template:record',
    'paved:template:upgrade',
    'paved:service:retire',
    'paved:template:adopt',
  ]);
  const location = yaml.parse(
    fs.readFileSync(join(TEMPLATES, 'all.yaml'), 'utf8'),
  );

  it.each(location.spec.targets as string[])(
    '%s is a valid template with described parameters',
    target => {
      const template = yaml.parse(
        fs.readFileSync(join(TEMPLATES, target), 'utf8'),
      );
      expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
      expect(template.kind).toBe('Template');
      for (const page of template.spec.parameters) {
        expect(page.title).toBeTruthy();
        for (const [key, prop] of Object.entries<any>(page.properties)) {
          expect([key, prop.title]).toEqual([key, expect.any(String)]);
          expect([key, prop.description]).toEqual([key, expect.any(String)]);
        }
      }
      for (const step of template.spec.steps) {
        expect(actions.has(step.action)).toBe(true);
      }
      // Day-2 templates (upgrades) work on an existing service: no owner, nothing to release.
      if (template.metadata.tags?.includes('day-2')) {
        return;
      }
      const owners = template.spec.parameters
        .map((page: any) => page.properties.owner)
        .filter(Boolean);
      expect(owners).toEqual([
        expect.objectContaining({
          'ui:field': 'OwnerPicker',
          'ui:options': { catalogFilter: [{ kind: 'Group' }] },
        }),
      ]);
      for (const step of template.spec.steps) {
        expect(actions.has(step.action)).toBe(true);
      }
      const last = template.spec.steps[template.spec.steps.length - 1];
      expect(last).toMatchObject({
        action: 'provisioning:resource:release',
        if: '${{ failure() }}',
      });
    },
  );
});

describe('template prices', () => {
  const appConfig = yaml.parse(
    fs.readFileSync(join(TEMPLATES, '../app-config.yaml'), 'utf8'),
  );
  const typeIds = appConfig.provisioning.types.map((t: { id: string }) => t.id);

  /** Every schema node of the parameters (properties, dependencies, oneOf branches), with its key. */
  function nodes(schema: any, key = ''): Array<[string, any]> {
    if (!schema || typeof schema !== 'object') return [];
    const out: Array<[string, any]> = [[key, schema]];
    for (const [k, v] of Object.entries<any>(schema.properties ?? {})) {
      out.push(...nodes(v, k));
    }
    for (const dep of Object.values<any>(schema.dependencies ?? {})) {
      for (const branch of dep.oneOf ?? [dep]) out.push(...nodes(branch));
    }
    return out;
  }

  // Prices come from the live estimate (ui:field ProvisioningCostEstimate, POST /estimates), so they can never
  // disagree with the configured pricing; option titles carry none.
  it.each(['postgresql-database', 'redis-cache', 'typescript-service'])(
    '%s writes no prices into option titles and estimates its resources live',
    dir => {
      const template = yaml.parse(
        fs.readFileSync(join(TEMPLATES, dir, 'template.yaml'), 'utf8'),
      );
      const all = (template.spec.parameters as any[]).flatMap(page =>
        nodes(page),
      );
      for (const [, node] of all) {
        for (const title of node.enumNames ?? []) {
          expect(title).not.toMatch(/\$|\/month/);
        }
      }
      // First declaration of each key (dependency branches repeat the switch as `const`).
      const fields = new Map<string, any>();
      for (const [k, node] of all) if (k && !fields.has(k)) fields.set(k, node);
      const estimates = all.filter(
        ([, node]) => node['ui:field'] === 'ProvisioningCostEstimate',
      );
      expect(estimates).toHaveLength(1);
      const resources = estimates[0][1]['ui:options'].resources as any[];
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) {
        expect(typeIds).toContain(resource.type);
        // the checkbox that enables the resource (if any) is a boolean field of the template
        const enabledBy: string[] = resource.enabledBy ? [resource.enabledBy] : [];
        expect(enabledBy.map(k => [k, fields.get(k)?.type])).toEqual(enabledBy.map(k => [k, 'boolean']));
        // every field the estimate reads, and the name it checks, exist in the template
        const read: string[] = [
          ...Object.values<string>(resource.parameters ?? {}),
          ...(resource.nameFrom ? [resource.nameFrom] : []),
        ];
        expect(read.map(k => [k, fields.has(k)])).toEqual(read.map(k => [k, true]));
      }
    },
  );
});

describe('template input safety', () => {
  const dir = createMockDirectory();
  afterEach(() => dir.clear());

  const template = yaml.parse(
    fs.readFileSync(join(TEMPLATES, 'typescript-service/template.yaml'), 'utf8'),
  );
  /** Validates values the way the scaffolder backend does on POST /v2/tasks: each page's schema. */
  const errors = (values: Record<string, unknown>) =>
    (template.spec.parameters as object[]).flatMap(
      page => validate(values, page as any).errors.map(e => e.property),
    );
  const valid = {
    name: 'invoice-api',
    description: 'Creates and sends invoices for orders.',
    owner: 'group:default/orders-team',
    system: 'system:default/orders',
  };

  it('accepts what the pickers produce', () => {
    expect(errors(valid)).toEqual([]);
    expect(errors({ ...valid, owner: 'orders-team', system: 'orders' })).toEqual(
      [],
    );
  });

  it.each([
    ['name', '../x'],
    ['name', '/etc/passwd'],
    ['name', 'x/../../y'],
    ['name', 'a\u0000b'],
    ['name', '${{ secrets.token }}'],
    ['description', 'line one\nline two: injected'],
    ['description', 'ends with an escape \u001b[2J'],
    ['owner', 'group:default/orders-team\n  evil: true'],
    ['owner', '../platform-team'],
    ['owner', '${{ secrets.token }}'],
    ['system', 'system:default/orders\r\nkind: Group'],
    ['system', '/etc/passwd'],
  ])('rejects %s %j before the run starts', (key, value) => {
    expect(errors({ ...valid, [key]: value })).toContain(`instance.${key}`);
  });

  it('renders template expressions inside values as plain text (nunjucks does not evaluate values again)', async () => {
    const description =
      'Uses ${{ secrets.PAVED_DEPLOYMENTS_TOKEN }} and {{ 7 * 7 }} and {% raw %} as "text"';
    expect(errors({ ...valid, description })).toEqual([]);
    const out = await render(dir, {
      ...baseValues,
      description,
      database: true,
      redis: false,
    });
    const read = (p: string) => fs.readFileSync(join(out, p), 'utf8');
    expect(yaml.parse(read('catalog-info.yaml')).metadata.description).toBe(
      description,
    );
    expect(JSON.parse(read('package.json')).description).toBe(description);
    expect(yaml.parse(read('mkdocs.yml')).site_description).toBe(description);
    expect(read('README.md')).toContain(description);
    expect(read('docs/index.md')).toContain(description);
    for (const file of ['catalog-info.yaml', 'package.json', 'README.md']) {
      expect(read(file)).not.toContain('49');
    }
  });

  it('writes no connection URL or password into the repository', async () => {
    const out = await render(dir, { ...baseValues, database: true, redis: true });
    const files = (fs.readdirSync(out, { recursive: true }) as string[]).filter(
      f => fs.statSync(join(out, f)).isFile(),
    );
    expect(files.length).toBeGreaterThan(10);
    // (the skeleton's own unit tests use the fixture URL postgresql://u:secret@127.0.0.1/db)
    for (const file of files.filter(f => !f.endsWith('.test.ts'))) {
      const text = fs.readFileSync(join(out, file), 'utf8');
      expect([file, /(postgres(ql)?|redis):\/\/[^\s'"`]*@/.test(text)]).toEqual([
        file,
        false,
      ]);
      expect([file, /password\s*[:=]\s*\S/i.test(text)]).toEqual([file, false]);
    }
  });
});
