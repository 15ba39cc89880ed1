import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { ResourceState } from '@paved/backstage-plugin-provisioning-common';
import type { Request } from 'express';
import type { EventAnnouncement } from '../database/types';

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
  /** Send the owner group a Backstage notification (approve, reject, ready, failed, drifted). */
  notifyOwner?: boolean;
  /** Send the approvers group a Backstage notification (something waits for approval). */
  notifyApprovers?: boolean;
}

/**
 * The change an event recorded with an announcement (the outbox) announces: made right after the commit by the
 * code that recorded it (with its express request, for the auditor) or later by the announcement sweep (without).
 * @internal
 */
export function toResourceChange(
  event: { resourceId: string; actor: string; message: string; announcement: EventAnnouncement },
  request?: Request,
): ResourceChange {
  const a = event.announcement;
  return {
    id: event.resourceId,
    name: a.name,
    type: a.type,
    owner: a.owner,
    eventId: a.auditEventId,
    actor: event.actor,
    ...(a.fromState ? { fromState: a.fromState } : {}),
    ...(a.toState ? { toState: a.toState } : {}),
    message: event.message,
    ...(request ? { request } : {}),
    notifyOwner: a.notifyOwner ?? false,
    notifyApprovers: a.notifyApprovers ?? false,
  };
}

/** Notification topic of provisioning notifications. @public */
export const PROVISIONING_NOTIFICATION_TOPIC = 'provisioning';

/**
 * Announces resource changes: an auditor event, a signal for open pages, an events-service message so that
 * the catalog provider applies the change, and Backstage notifications to the owner or approver group.
 * Never includes secrets. Never throws.
 * @internal
 */
export class ChangeNotifier {
  readonly #auditor: AuditorService;
  readonly #events?: EventsService;
  readonly #signals?: SignalsService;
  readonly #notifications?: NotificationService;
  readonly #approvers: string;
  readonly #logger: LoggerService;

  constructor(options: {
    auditor: AuditorService;
    events?: EventsService;
    signals?: SignalsService;
    notifications?: NotificationService;
    /** Entity ref of the approver group. */
    approvers?: string;
    logger: LoggerService;
  }) {
    this.#auditor = options.auditor;
    this.#events = options.events;
    this.#signals = options.signals;
    this.#notifications = options.notifications;
    this.#approvers = options.approvers ?? 'group:default/platform-team';
    this.#logger = options.logger;
  }

  async #sendNotifications(change: ResourceChange) {
    if (!this.#notifications) return;
    const what = `${change.type}/${change.name}`;
    const sends: Promise<void>[] = [];
    if (change.notifyApprovers) {
      sends.push(
        this.#notifications.send({
          recipients: {
            type: 'entity',
            entityRef: this.#approvers,
            excludeEntityRef: change.actor,
          },
          payload: {
            title: `${what} waits for approval`,
            description: change.message,
            link: '/provisioning/approvals',
            severity: 'normal',
            topic: PROVISIONING_NOTIFICATION_TOPIC,
          },
        }),
      );
    }
    if (change.notifyOwner) {
      const verb =
        (
          {
            'resource-approve': 'approved',
            'resource-reject': 'rejected',
            'resource-drift-detected': 'drifted',
          } as Record<string, string>
        )[change.eventId] ??
        change.toState ??
        'changed';
      sends.push(
        this.#notifications.send({
          recipients: { type: 'entity', entityRef: change.owner },
          payload: {
            title: `${what}: ${verb}`,
            description: change.message,
            link: `/provisioning/resources/${change.id}`,
            severity:
              change.toState === 'failed' || verb === 'drifted' ? 'high' : 'normal',
            topic: PROVISIONING_NOTIFICATION_TOPIC,
          },
        }),
      );
    }
    const results = await Promise.allSettled(sends);
    for (const r of results) {
      if (r.status === 'rejected') {
        this.#logger.warn(`Sending a notification failed: ${(r.reason as Error)?.message}`);
      }
    }
  }

  /**
   * Publishes `{ echo: nonce }` on {@link RESOURCE_SIGNAL_CHANNEL} to one user only, so that their page learns that
   * its signal subscription is live (see `POST /v1/signal-echo`). Returns false when no signals service is wired.
   */
  async echo(nonce: string, userEntityRef: string): Promise<boolean> {
    if (!this.#signals) return false;
    await this.#signals.publish({
      recipients: { type: 'user', entityRef: userEntityRef },
      channel: RESOURCE_SIGNAL_CHANNEL,
      message: { echo: nonce },
    });
    return true;
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
    await this.#sendNotifications(change);
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
