import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import express from 'express';
import type { JsonObject } from '@backstage/types';
import {
  CreateDeploymentRequest,
  OpenIncidentRequest,
  ResolveIncidentRequest,
  StatusState,
  UpdateIncidentRequest,
} from '@paved/backstage-plugin-service-status-common';
import { createOpenApiRouter } from './schema/openapi.generated';
import { StatusService } from './services/status/StatusService';
import { DeploymentService } from './services/deployments/DeploymentService';
import { IncidentService } from './services/incidents/IncidentService';
import { DeliveryMetricsService } from './services/delivery/DeliveryMetricsService';

/** Dependencies of {@link createRouter}. @internal */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  status: StatusService;
  deployments: DeploymentService;
  incidents: IncidentService;
  delivery: DeliveryMetricsService;
}

/**
 * The HTTP API under `/api/service-status` (see `src/schema/openapi.yaml`). Requests are
 * validated against the spec (400 InputError on mismatch); the services throw typed errors
 * that the framework turns into Backstage error bodies.
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, status, deployments, incidents, delivery } =
    options;
  const router = await createOpenApiRouter();

  async function audited<T>(
    req: Request<any, any, any, any, any>,
    eventId: string,
    meta: JsonObject,
    action: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      request: req,
      severityLevel: 'medium',
      meta,
    });
    try {
      const result = await action();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  router.get('/v1/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await status.getEntityStatus(req.query.entityRef, credentials));
  });

  router.get('/v1/statuses', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const q = req.query;
    res.json(
      await status.listStatuses(
        {
          owner: asArray(q.owner),
          system: asArray(q.system),
          kind: asArray(q.kind),
          state: asArray(q.state) as StatusState[] | undefined,
          cursor: q.cursor,
          limit: asInt(q.limit),
        },
        credentials,
      ),
    );
  });

  router.get('/v1/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await status.getHistory(
        req.query.entityRef,
        asInt(req.query.hours) ?? 24,
        credentials,
      ),
    );
  });

  router.get('/v1/deployments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await deployments.list(
        {
          entityRef: req.query.entityRef,
          environment: req.query.environment,
          cursor: req.query.cursor,
          limit: asInt(req.query.limit),
        },
        credentials,
      ),
    );
  });

  router.post('/v1/deployments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = req.body as CreateDeploymentRequest;
    const deployment = await audited(
      req,
      'deployment-create',
      { entityRef: body.entityRef, environment: body.environment },
      () => deployments.create(body, credentials),
    );
    res.status(201).json(deployment);
  });

  router.get('/v1/incidents', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await incidents.list(
        {
          entityRef: req.query.entityRef,
          state: req.query.state,
          cursor: req.query.cursor,
          limit: asInt(req.query.limit),
        },
        credentials,
      ),
    );
  });

  router.post('/v1/incidents', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = req.body as OpenIncidentRequest;
    const incident = await audited(
      req,
      'incident-open',
      { entityRef: body.entityRef, severity: body.severity },
      () => incidents.open(body, credentials),
    );
    res.status(201).json(incident);
  });

  router.get('/v1/incidents/:id', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await incidents.get(req.params.id));
  });

  router.patch('/v1/incidents/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = req.body as UpdateIncidentRequest;
    res.json(
      await audited(req, 'incident-update', { incidentId: req.params.id }, () =>
        incidents.update(req.params.id, body, credentials),
      ),
    );
  });

  router.post('/v1/incidents/:id/resolve', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = (req.body ?? {}) as ResolveIncidentRequest;
    res.json(
      await audited(
        req,
        'incident-resolve',
        { incidentId: req.params.id },
        () => incidents.resolve(req.params.id, body, credentials),
      ),
    );
  });

  router.get('/v1/deployment-summaries', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await deployments.summaries(
        {
          entityRefs: asArray(req.query.entityRef) ?? [],
          environment: req.query.environment,
        },
        credentials,
      ),
    );
  });

  router.get('/v1/delivery-metrics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const q = req.query;
    res.json(
      await delivery.get(
        {
          groupBy: q.groupBy,
          weeks: asInt(q.weeks),
          environment: q.environment,
          owner: q.owner,
          entityRef: q.entityRef,
        },
        credentials,
      ),
    );
  });

  return router;
}

function asArray(value: unknown): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}

function asInt(value: unknown): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  return typeof value === 'number' ? value : Number.parseInt(String(value), 10);
}
