import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';

/** What an API error means for the user, in words they can act on. @internal */
export interface DescribedError {
  /** HTTP status, when the error came from the backend. */
  status?: number;
  /** The message to show. */
  message: string;
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; response?: { status?: unknown } };
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.response?.status === 'number') return e.response.status;
  return undefined;
}

/** The server's own message of an error (the `cause` of a `ResponseError`), or the error's message. @internal */
export function serverMessage(error: unknown): string {
  const e = error as {
    cause?: { message?: unknown };
    body?: { error?: { message?: unknown } };
    message?: unknown;
  };
  const candidates = [e?.body?.error?.message, e?.cause?.message, e?.message];
  for (const c of candidates) {
    if (typeof c === 'string' && c.length > 0) return c;
  }
  return String(error);
}

/** Group name for messages: `group:default/orders-team` → `orders-team`. @internal */
export function ownerName(owner: string | undefined): string | undefined {
  if (!owner) return undefined;
  try {
    return humanizeEntityRef(parseEntityRef(owner, { defaultKind: 'group' }), {
      defaultKind: 'group',
    });
  } catch {
    return owner;
  }
}

/**
 * Turns an error thrown by the provisioning client into a message the user can act on.
 *
 * @param error - what the client threw
 * @param context - the owner of the resource involved, if any, to say who may do it
 * @internal
 */
export function describeError(
  error: unknown,
  context: { owner?: string; action?: string } = {},
): DescribedError {
  const status = statusOf(error);
  const detail = serverMessage(error);
  const owner = ownerName(context.owner);
  switch (status) {
    case 401:
      return {
        status,
        message: 'Your session has expired. Sign in again and retry.',
      };
    case 403:
      return {
        status,
        message: owner
          ? `Only members of ${owner} can ${
              context.action ?? 'do this'
            }. Ask a member of ${owner} or the platform team. (${detail})`
          : `You are not allowed to ${context.action ?? 'do this'}: ${detail}`,
      };
    case 404:
      return {
        status,
        message: `Not found: it may have been deleted. (${detail})`,
      };
    case 409:
      return { status, message: `Conflict: ${detail}` };
    case 429:
      return {
        status,
        message: `Too many requests: wait a moment and try again. (${detail})`,
      };
    default:
      if (status !== undefined && status >= 500) {
        return {
          status,
          message: `The provisioning service failed (${status}): ${detail}. Try again; if it persists, contact the platform team.`,
        };
      }
      return { status, message: detail };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds which of the given fields a 400 error's message names, e.g.
 * `request/body/parameters/size must be equal to one of the allowed values` → `{ 'parameters.size': ... }`,
 * `name "Foo" must match ...` → `{ name: ... }`.
 *
 * Fields are dotted paths (`name`, `owner`, `parameters.size`). Returns an empty object when the error is not a
 * 400 or names no known field.
 *
 * @internal
 */
export function fieldErrorsFrom(
  error: unknown,
  fields: string[],
): Record<string, string> {
  if (statusOf(error) !== 400) return {};
  const message = serverMessage(error);
  const result: Record<string, string> = {};
  for (const field of fields) {
    const parts = field.split('.');
    const leaf = parts[parts.length - 1];
    const patterns = [
      // JSON pointer or dotted paths: /parameters/size, parameters.size, body.name
      new RegExp(
        `(^|[/.\\s'"\`])${parts
          .map(escapeRegExp)
          .join('[/.]')}($|[/.\\s'"\`:,])`,
      ),
    ];
    if (parts.length > 1) {
      // a parameter named on its own: "size must be one of ..."; also "'size'" in ajv messages
      patterns.push(
        new RegExp(`(^|[/\\s'"\`])${escapeRegExp(leaf)}($|[\\s'"\`:,])`),
      );
    }
    if (patterns.some(p => p.test(message))) {
      result[field] = message;
    }
  }
  return result;
}

/** `orders-team` or `group:orders-team` → `group:default/orders-team`; undefined when not parseable. @internal */
export function normalizeGroupRef(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}
