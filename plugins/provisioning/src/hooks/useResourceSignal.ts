import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';

/** The signal channel on which the provisioning backend announces every change of a resource. @internal */
export const RESOURCE_SIGNAL_CHANNEL = 'provisioning:resource';

/** A message on {@link RESOURCE_SIGNAL_CHANNEL}. @internal */
export type ResourceSignal = {
  /** The resource that changed. */
  id: string;
  /** The event that changed it (unique per change). */
  eventId: string;
  /** The state after the change, when it changed. */
  state?: string;
};

/**
 * Calls `onSignal` for every resource change pushed by the backend (Backstage signals, `useSignal`), and tells
 * whether signals are available. When they are not (no signals plugin in the app), callers fall back to polling.
 * @internal
 */
export function useResourceSignal(
  onSignal: (signal: ResourceSignal) => void,
): { isSignalsAvailable: boolean } {
  const { lastSignal, isSignalsAvailable } = useSignal<ResourceSignal>(
    RESOURCE_SIGNAL_CHANNEL,
  );
  const callback = useRef(onSignal);
  callback.current = onSignal;
  useEffect(() => {
    if (lastSignal && typeof lastSignal.id === 'string') {
      callback.current(lastSignal);
    }
  }, [lastSignal]);
  return { isSignalsAvailable };
}

/**
 * Polls `fn` every `intervalMs` while `enabled`: the fallback of {@link useResourceSignal} when signals are
 * unavailable. Does nothing (no timer) when not enabled.
 * @internal
 */
export function usePollingFallback(
  fn: () => void,
  intervalMs: number,
  enabled: boolean,
) {
  const callback = useRef(fn);
  callback.current = fn;
  useEffect(() => {
    if (!enabled) return undefined;
    const timer = setInterval(() => callback.current(), intervalMs);
    return () => clearInterval(timer);
  }, [enabled, intervalMs]);
}
