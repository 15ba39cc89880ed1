/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ResponseError } from '@backstage/errors';
import {
  Resource,
  ResourceState,
} from '@paved/backstage-plugin-provisioning-common';
import {
  CreateRequest as CreateResourceRequest,
  ScaffolderProvisioning,
} from '../service/provisioningClient';
import { randomUUID } from 'node:crypto';
import { DatabaseTaskResourceStore } from '../database/TaskResourceStore';

/** Builds the ResponseError the real provisioning client throws. */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/v1/resources' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: name,
        headers: { 'content-type': 'application/json' },
      },
    ) as any,
  );
}

/** `2h`, `30m`, `1d` (what the tests use) in ms. */
function ttlMs(ttl: string): number {
  const m = /^(\d+)([smhd])$/.exec(ttl);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  return m ? Number(m[1]) * unit[m[2] as keyof typeof unit] : 3_600_000;
}

const PRICES: Record<string, number> = { small: 15, medium: 60, large: 240 };

/**
 * An in-memory provisioning backend with the REST API's semantics that matter to the actions:
 * 409 on a duplicate live name per type, 400 on an unknown type, states driven by the test.
 */
export class FakeProvisioning implements ScaffolderProvisioning {
  readonly resources = new Map<string, Resource>();
  readonly calls: string[] = [];
  /** Fail the next createResource after storing the resource (a crash after the POST). */
  crashAfterCreate = false;

  listTypes = jest.fn(async () => []);

  estimate = jest.fn(
    async (req: { type: string; parameters: Record<string, unknown> }) => {
      this.calls.push(`estimate ${req.type}`);
      const size = String(req.parameters.size ?? 'small');
      return {
        type: req.type,
        size,
        monthlyCostUsd: PRICES[size] ?? 0,
        currency: 'USD' as const,
        requiresApproval: size === 'large',
        approvers: size === 'large' ? 'group:default/platform-team' : undefined,
        approval: { required: size === 'large' },
      };
    },
  );

  async listResources(req: {
    type?: string;
    name?: string;
    owner?: string | string[];
    entityRef?: string;
  }) {
    this.calls.push(`list${req.name ? ` name=${req.name}` : ''}`);
    const items = [...this.resources.values()].filter(
      r =>
        r.state !== 'deleted' &&
        (!req.type || r.type === req.type) &&
        (!req.name || r.name === req.name) &&
        (!req.entityRef || r.entityRef === req.entityRef),
    );
    return { items, totals: [] };
  }

  async getResource(id: string) {
    this.calls.push(`get ${id}`);
    const r = this.resources.get(id);
    return r ? { ...r } : undefined;
  }

  /** Idempotency keys seen by createResource: key -> body and resource id. */
  readonly idempotencyKeys = new Map<string, { body: string; id: string }>();

  async createResource(
    req: CreateResourceRequest,
    options?: { idempotencyKey?: string },
  ): Promise<Resource> {
    this.calls.push(`create ${req.type}/${req.name}`);
    const key = options?.idempotencyKey;
    const seen = key ? this.idempotencyKeys.get(key) : undefined;
    if (seen) {
      if (seen.body !== JSON.stringify(req)) {
        throw await responseError(
          409,
          'ConflictError',
          `Idempotency-Key ${key} was used with another body`,
        );
      }
      return { ...this.resources.get(seen.id)! };
    }
    if (req.type === 'unknown') {
      throw await responseError(400, 'InputError', `Unknown type ${req.type}`);
    }
    const dup = [...this.resources.values()].find(
      r => r.name === req.name && r.type === req.type && r.state !== 'deleted',
    );
    if (dup) {
      throw await responseError(
        409,
        'ConflictError',
        `A ${req.type} named ${req.name} already exists`,
      );
    }
    const now = new Date().toISOString();
    const size = String(req.parameters.size ?? 'small');
    const resource: Resource = {
      ...(req.ttl
        ? { ttl: req.ttl, expiresAt: new Date(Date.now() + ttlMs(req.ttl)).toISOString() }
        : {}),
      id: randomUUID(),
      name: req.name,
      type: req.type,
      owner: req.owner,
      entityRef: req.entityRef,
      system: req.system,
      parameters: req.parameters,
      state: size === 'large' ? 'awaiting-approval' : 'requested',
      drifted: false,
      conditions: [],
      outputs: {},
      monthlyCostUsd: PRICES[size] ?? 0,
      billable: false,
      createdBy: 'user:default/mock',
      createdAt: now,
      updatedAt: now,
    };
    this.resources.set(resource.id, resource);
    if (key) {
      this.idempotencyKeys.set(key, { body: JSON.stringify(req), id: resource.id });
    }
    if (this.crashAfterCreate) {
      this.crashAfterCreate = false;
      throw new Error('socket hang up');
    }
    return { ...resource };
  }

  async deleteResource(id: string): Promise<Resource> {
    this.calls.push(`delete ${id}`);
    const r = this.resources.get(id);
    if (!r) {
      throw await responseError(404, 'NotFoundError', `No resource ${id}`);
    }
    if (r.state === 'deleted') {
      throw await responseError(
        409,
        'ConflictError',
        `Resource ${r.type}/${r.name} is already deleted`,
      );
    }
    r.state = 'deleting';
    return { ...r };
  }

  async extendResource(id: string, request: { ttl: string }): Promise<Resource> {
    this.calls.push(`extend ${id} ${request.ttl}`);
    const r = this.resources.get(id);
    if (!r) {
      throw await responseError(404, 'NotFoundError', `No resource ${id}`);
    }
    r.ttl = request.ttl;
    r.expiresAt = new Date(Date.now() + ttlMs(request.ttl)).toISOString();
    return { ...r };
  }

  /** Adds a resource as if another run had created it. */
  seed(partial: Partial<Resource> & { name: string; type: string }): Resource {
    const now = new Date().toISOString();
    const resource: Resource = {
      id: randomUUID(),
      owner: 'group:default/payments-team',
      parameters: {},
      state: 'ready',
      drifted: false,
      conditions: [],
      outputs: {},
      monthlyCostUsd: 15,
      billable: true,
      createdBy: 'user:default/someone',
      createdAt: now,
      updatedAt: now,
      ...partial,
    };
    this.resources.set(resource.id, resource);
    return resource;
  }

  setState(id: string, state: ResourceState, reason?: string) {
    const r = this.resources.get(id)!;
    r.state = state;
    r.reason = reason;
    if (state === 'ready') {
      r.outputs = { host: '127.0.0.1', port: '5432', database: r.name };
    }
  }
}

/** A task resource store on a fresh SQLite database. */
export async function createTestStore(databases: TestDatabases) {
  const knex = await databases.init('SQLITE_3');
  return DatabaseTaskResourceStore.create({
    database: { getClient: async () => knex },
  });
}

/**
 * `createMockActionContext` plus the fields it does not take over (`checkpoint`, `isDryRun`, `signal`).
 */
export function mockContext(options: {
  input: Record<string, unknown>;
  task?: { id: string };
  workspacePath?: string;
  isDryRun?: boolean;
  signal?: AbortSignal;
  checkpoint?: (opts: { key: string; fn: () => any }) => Promise<any>;
}): any {
  const { isDryRun, signal, checkpoint, ...rest } = options;
  const ctx: any = createMockActionContext(rest as any);
  if (isDryRun !== undefined) ctx.isDryRun = isDryRun;
  if (signal) ctx.signal = signal;
  if (checkpoint) ctx.checkpoint = checkpoint;
  return ctx;
}
