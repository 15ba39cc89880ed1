import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { ResourceState } from '@paved/backstage-plugin-provisioning-common';
import type { Request } from 'express';

/** Topic published on every change of a resource, with payload `{ id }`. @public */
export const RESOURCE_CHANGED_TOPIC = 'paved.provisioning.resource-changed';

/**
 * Signal channel (broadcast) on every change of a resource, with message
 * `{ id, eventId, state? }`, so that open pages can refresh.
 * @public
 */
export const RESOURCE_SIGNAL_CHANNEL = 'provisioning:resource';

/** One change to announce. @internal */
export interface ResourceChange {
  id: string;
  name: string;
  type: string;
  owner: string;
  /** kebab-case, e.g. `resource-create`, `resource-transition`. */
  eventId: string;
  actor: string;
  fromState?: ResourceState;
  toState?: ResourceState;
  message: string;
  request?: Request;
}

/**
 * Announces resource changes: an auditor event, and an events-service message so that
 * the catalog provider refreshes. Never includes secrets. Never throws.
 * @internal
 */
export class ChangeNotifier {
  readonly #auditor: AuditorService;
  readonly #events?: EventsService;
  readonly #signals?: SignalsService;
  readonly #logger: LoggerService;

  constructor(options: {
    auditor: AuditorService;
    events?: EventsService;
    signals?: SignalsService;
    logger: LoggerService;
  }) {
    this.#auditor = options.auditor;
    this.#events = options.events;
    this.#signals = options.signals;
    this.#logger = options.logger;
  }

  async notify(change: ResourceChange): Promise<void> {
    try {
      const event = await this.#auditor.createEvent({
        eventId: change.eventId,
        severityLevel: change.eventId === 'resource-transition' ? 'low' : 'medium',
        request: change.request,
        meta: {
          resourceId: change.id,
          name: change.name,
          type: change.type,
          owner: change.owner,
          actor: change.actor,
          ...(change.fromState ? { fromState: change.fromState } : {}),
          ...(change.toState ? { toState: change.toState } : {}),
          message: change.message,
        },
      });
      await event.success();
    } catch (e) {
      this.#logger.warn(`Auditor event failed: ${(e as Error).message}`);
    }
    try {
      await this.#signals?.publish({
        recipients: { type: 'broadcast' },
        channel: RESOURCE_SIGNAL_CHANNEL,
        message: {
          id: change.id,
          eventId: change.eventId,
          ...(change.toState ? { state: change.toState } : {}),
        },
      });
    } catch (e) {
      this.#logger.warn(`Publishing signal failed: ${(e as Error).message}`);
    }
    try {
      await this.#events?.publish({
        topic: RESOURCE_CHANGED_TOPIC,
        eventPayload: { id: change.id },
      });
    } catch (e) {
      this.#logger.warn(
        `Publishing ${RESOURCE_CHANGED_TOPIC} failed: ${(e as Error).message}`,
      );
    }
  }
}
