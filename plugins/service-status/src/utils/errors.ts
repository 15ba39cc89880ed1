import { ResponseError } from '@backstage/errors';

/**
 * A human-readable message for an error from the service status API: the server's own message
 * for a `ResponseError` (e.g. "You do not own component:default/orders-api"), else the error message.
 * @internal
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.cause?.message
      ? `${error.cause.message} (${error.statusCode})`
      : error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}
