/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A kind the fake server serves. */
export interface FakeKind {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/** One request the server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  authorization?: string;
  body?: any;
  /** Date.now() when the request was received. */
  at: number;
}

type Obj = Record<string, any>;

const CORE_KINDS: FakeKind[] = [
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
  },
];

/**
 * A test double of the Kubernetes API server for exactly the calls the driver makes: API discovery
 * (`/api/v1`, `/apis/{group}/{version}`), server-side apply (PATCH application/apply-patch+yaml), GET, LIST with
 * resourceVersion and label selectors, WATCH (JSON lines, BOOKMARK events, ERROR 410 Gone once compacted),
 * DELETE that honours finalizers. Records every request.
 */
export class FakeKubeApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly #server: http.Server;
  readonly #kinds: FakeKind[] = [...CORE_KINDS];
  readonly #objects = new Map<string, Obj>();
  readonly #events: { rv: number; type: string; key: string; object: Obj }[] =
    [];
  readonly #watchers = new Set<{
    kind: FakeKind;
    namespace?: string;
    selector?: string;
    res: http.ServerResponse;
  }>();
  #rv = 100;
  #compactedBelow = 0;
  #uid = 0;
  /** Token the server accepts; any other gets 401. */
  token = 'test-token';
  /** How long an object with finalizers stays after DELETE before the (simulated) controller removes them, ms. */
  finalizerDelayMs = 200;
  /** Remaining responses to fail with this status (e.g. 503), for any non-discovery request. */
  failNext: { count: number; status: number } = { count: 0, status: 503 };
  url = '';

  static async start(): Promise<FakeKubeApiServer> {
    const server = new FakeKubeApiServer();
    await new Promise<void>(resolve =>
      server.#server.listen(0, '127.0.0.1', resolve),
    );
    server.url = `http://127.0.0.1:${
      (server.#server.address() as AddressInfo).port
    }`;
    return server;
  }

  private constructor() {
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () =>
        this.#handle(req, res, Buffer.concat(chunks).toString('utf8')),
      );
    });
  }

  async stop() {
    for (const w of this.#watchers) {
      w.res.end();
    }
    this.#server.closeAllConnections();
    await new Promise(resolve => this.#server.close(resolve));
  }

  addKind(kind: FakeKind) {
    this.#kinds.push(kind);
  }

  /** Stores an object as if another client created it (emits ADDED). */
  put(object: Obj): Obj {
    const kind = this.#kindOf(object.apiVersion, object.kind)!;
    const key = this.#key(
      kind,
      object.metadata.namespace,
      object.metadata.name,
    );
    const existing = this.#objects.get(key);
    const stored = {
      ...structuredClone(object),
      metadata: {
        uid: existing?.metadata.uid ?? `uid-${++this.#uid}`,
        generation: 1,
        creationTimestamp: '2026-01-01T00:00:00Z',
        ...structuredClone(object.metadata),
        resourceVersion: String(++this.#rv),
      },
    };
    this.#objects.set(key, stored);
    this.#emit(existing ? 'MODIFIED' : 'ADDED', key, stored);
    return stored;
  }

  /** Reads a stored object. */
  getObject(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Obj | undefined {
    const k = this.#kindOf(apiVersion, kind)!;
    return this.#objects.get(this.#key(k, namespace, name));
  }

  /** Sets an object's status as its controller would (emits MODIFIED). */
  setStatus(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
    status: Obj,
  ) {
    const obj = this.getObject(apiVersion, kind, namespace, name);
    if (!obj) {
      throw new Error(`no such object ${kind} ${namespace}/${name}`);
    }
    obj.status = structuredClone(status);
    obj.metadata.resourceVersion = String(++this.#rv);
    this.#emit(
      'MODIFIED',
      this.#key(this.#kindOf(apiVersion, kind)!, namespace, name),
      obj,
    );
  }

  /** Forgets the event history: watches from older resourceVersions get 410 Gone; open watches get an ERROR 410 event. */
  compact() {
    this.#compactedBelow = this.#rv + 1;
    this.#events.length = 0;
    for (const w of [...this.#watchers]) {
      w.res.end(
        `${JSON.stringify({
          type: 'ERROR',
          object: {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: 'too old resource version',
            reason: 'Expired',
            code: 410,
          },
        })}\n`,
      );
      this.#watchers.delete(w);
    }
  }

  /** Sends a BOOKMARK with the current resourceVersion to every open watch. */
  bookmark() {
    for (const w of this.#watchers) {
      w.res.write(
        `${JSON.stringify({
          type: 'BOOKMARK',
          object: {
            kind: w.kind.kind,
            apiVersion: w.kind.apiVersion,
            metadata: { resourceVersion: String(this.#rv) },
          },
        })}\n`,
      );
    }
  }

  /** Closes every open watch stream from the server side (as a server timeout would). */
  closeWatches() {
    for (const w of this.#watchers) {
      w.res.end();
    }
    this.#watchers.clear();
  }

  get openWatches() {
    return this.#watchers.size;
  }

  get resourceVersion() {
    return String(this.#rv);
  }

  #key(kind: FakeKind, namespace: string | undefined, name: string) {
    return `${kind.apiVersion}|${kind.kind}|${
      kind.namespaced ? namespace : ''
    }|${name}`;
  }

  #kindOf(apiVersion: string, kind: string) {
    return this.#kinds.find(
      k => k.apiVersion === apiVersion && k.kind === kind,
    );
  }

  #emit(type: string, key: string, object: Obj) {
    const rv = Number(object.metadata.resourceVersion);
    this.#events.push({ rv, type, key, object: structuredClone(object) });
    const [apiVersion, kind, namespace] = key.split('|');
    for (const w of this.#watchers) {
      if (
        w.kind.apiVersion === apiVersion &&
        w.kind.kind === kind &&
        (!w.namespace || w.namespace === namespace) &&
        this.#matches(object, w.selector)
      ) {
        w.res.write(`${JSON.stringify({ type, object })}\n`);
      }
    }
  }

  #matches(object: Obj, selector?: string) {
    if (!selector) {
      return true;
    }
    const labels = object.metadata?.labels ?? {};
    return selector.split(',').every(term => {
      const [k, v] = term.split('=');
      return v === undefined ? k in labels : labels[k] === v;
    });
  }

  #send(res: http.ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  #status(
    res: http.ServerResponse,
    code: number,
    reason: string,
    message: string,
  ) {
    this.#send(res, code, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    });
  }

  #handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rawBody: string,
  ) {
    const url = new URL(req.url!, 'http://x');
    const query = Object.fromEntries(url.searchParams.entries());
    let body: unknown;
    if (rawBody) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    this.requests.push({
      method: req.method!,
      path: url.pathname,
      query,
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      body,
      at: Date.now(),
    });
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      this.#status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    const parts = url.pathname.split('/').filter(Boolean);
    // Discovery: /api/v1 or /apis/{group}/{version}
    if (
      req.method === 'GET' &&
      ((parts[0] === 'api' && parts.length === 2) ||
        (parts[0] === 'apis' && parts.length === 3))
    ) {
      const apiVersion =
        parts[0] === 'api' ? parts[1] : `${parts[1]}/${parts[2]}`;
      const kinds = this.#kinds.filter(k => k.apiVersion === apiVersion);
      if (kinds.length === 0) {
        this.#status(
          res,
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
        return;
      }
      this.#send(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: apiVersion,
        resources: kinds.map(k => ({
          name: k.plural,
          singularName: k.kind.toLowerCase(),
          namespaced: k.namespaced,
          kind: k.kind,
          verbs: ['delete', 'get', 'list', 'patch', 'watch'],
        })),
      });
      return;
    }
    if (this.failNext.count > 0) {
      this.failNext.count -= 1;
      this.#status(
        res,
        this.failNext.status,
        'ServiceUnavailable',
        'the server is currently unable to handle the request',
      );
      return;
    }
    // Resource paths
    const base = parts[0] === 'api' ? 2 : 3;
    const apiVersion =
      parts[0] === 'api' ? parts[1] : `${parts[1]}/${parts[2]}`;
    let rest = parts.slice(base);
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name] = rest;
    const kind = this.#kinds.find(
      k => k.apiVersion === apiVersion && k.plural === plural,
    );
    if (!kind) {
      this.#status(
        res,
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
      return;
    }
    if (name === undefined && req.method === 'GET') {
      if (query.watch === 'true') {
        this.#watch(res, kind, namespace, query);
        return;
      }
      const items = [...this.#objects.entries()]
        .filter(([key]) =>
          key.startsWith(`${kind.apiVersion}|${kind.kind}|${namespace ?? ''}`),
        )
        .map(([, o]) => o)
        .filter(o => this.#matches(o, query.labelSelector));
      this.#send(res, 200, {
        kind: `${kind.kind}List`,
        apiVersion: kind.apiVersion,
        metadata: { resourceVersion: String(this.#rv) },
        items,
      });
      return;
    }
    const key = this.#key(kind, namespace, name);
    const existing = this.#objects.get(key);
    if (req.method === 'GET') {
      if (!existing) {
        this.#status(res, 404, 'NotFound', `${plural} "${name}" not found`);
      } else {
        this.#send(res, 200, existing);
      }
      return;
    }
    if (req.method === 'PATCH') {
      if (
        req.headers['content-type'] !== 'application/apply-patch+yaml' ||
        !query.fieldManager
      ) {
        this.#status(
          res,
          415,
          'UnsupportedMediaType',
          'only server-side apply is supported',
        );
        return;
      }
      const patch = body as Obj;
      if (patch.metadata?.namespace && patch.metadata.namespace !== namespace) {
        this.#status(
          res,
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        );
        return;
      }
      if (existing?.metadata.deletionTimestamp) {
        this.#status(res, 409, 'Conflict', 'object is being deleted');
        return;
      }
      const specChanged =
        JSON.stringify(existing?.spec) !== JSON.stringify(patch.spec);
      const stored: Obj = {
        ...(existing ?? {}),
        ...structuredClone(patch),
        metadata: {
          ...(existing?.metadata ?? {
            uid: `uid-${++this.#uid}`,
            creationTimestamp: '2026-01-01T00:00:00Z',
            generation: 0,
          }),
          ...structuredClone(patch.metadata),
          resourceVersion: String(++this.#rv),
          managedFields: [
            {
              manager: query.fieldManager,
              operation: 'Apply',
              apiVersion: patch.apiVersion,
            },
          ],
        },
        ...(existing?.status ? { status: existing.status } : {}),
      };
      if (!existing || specChanged) {
        stored.metadata.generation = (existing?.metadata.generation ?? 0) + 1;
      }
      this.#objects.set(key, stored);
      this.#emit(existing ? 'MODIFIED' : 'ADDED', key, stored);
      this.#send(res, existing ? 200 : 201, stored);
      return;
    }
    if (req.method === 'DELETE') {
      if (!existing) {
        this.#status(res, 404, 'NotFound', `${plural} "${name}" not found`);
        return;
      }
      if ((existing.metadata.finalizers ?? []).length > 0) {
        if (!existing.metadata.deletionTimestamp) {
          existing.metadata.deletionTimestamp = '2026-01-01T00:00:01Z';
          existing.metadata.resourceVersion = String(++this.#rv);
          this.#emit('MODIFIED', key, existing);
          setTimeout(() => {
            if (this.#objects.get(key) === existing) {
              existing.metadata.finalizers = [];
              this.#objects.delete(key);
              existing.metadata.resourceVersion = String(++this.#rv);
              this.#emit('DELETED', key, existing);
            }
          }, this.finalizerDelayMs);
        }
        this.#send(res, 200, existing);
        return;
      }
      this.#objects.delete(key);
      existing.metadata.resourceVersion = String(++this.#rv);
      this.#emit('DELETED', key, existing);
      this.#send(res, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, kind: plural, uid: existing.metadata.uid },
      });
      return;
    }
    this.#status(res, 405, 'MethodNotAllowed', 'method not allowed');
  }

  #watch(
    res: http.ServerResponse,
    kind: FakeKind,
    namespace: string | undefined,
    query: Record<string, string>,
  ) {
    const from = query.resourceVersion
      ? Number(query.resourceVersion)
      : undefined;
    res.writeHead(200, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    res.flushHeaders();
    if (from !== undefined && from < this.#compactedBelow - 1) {
      res.end(
        `${JSON.stringify({
          type: 'ERROR',
          object: {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: `too old resource version: ${from} (${
              this.#compactedBelow - 1
            })`,
            reason: 'Expired',
            code: 410,
          },
        })}\n`,
      );
      return;
    }
    const watcher = { kind, namespace, selector: query.labelSelector, res };
    if (from !== undefined) {
      for (const e of this.#events) {
        const [apiVersion, k, ns] = e.key.split('|');
        if (
          e.rv > from &&
          apiVersion === kind.apiVersion &&
          k === kind.kind &&
          (!namespace || ns === namespace) &&
          this.#matches(e.object, query.labelSelector)
        ) {
          res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
        }
      }
    }
    this.#watchers.add(watcher);
    res.on('close', () => this.#watchers.delete(watcher));
  }
}
