import { useApiHolder } from '@backstage/core-plugin-api';
import {
  SignalApi,
  signalApiRef,
  SignalSubscriber,
} from '@backstage/plugin-signals-react';
import { useEffect, useRef, useState } from 'react';
import { provisioningApiRef } from '../api';

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
 * How the page learns that its signal subscription is live: it asks the backend (`POST /v1/signal-echo`) to publish
 * a nonce to this user on {@link RESOURCE_SIGNAL_CHANNEL}, and receiving it back proves that every later change
 * reaches the page by push. Times in ms.
 * @internal
 */
export const SIGNAL_LIVENESS = {
  /** Delays between echo requests until the first echo arrives (the first ones usually precede the subscription). */
  probeDelaysMs: [300, 700, 1000, 2000] as const,
  /** Delay between echo requests after {@link SIGNAL_LIVENESS.probeDelaysMs}, while no echo arrives. */
  probeIntervalMs: 5000,
  /** Without an echo for this long after start (or after a heartbeat), the connection counts as not working. */
  confirmTimeoutMs: 3000,
  /** While live, one echo request per this interval detects a connection that stopped delivering. */
  heartbeatIntervalMs: 30_000,
  /** When the last component lets go, the subscription and the proven state are kept this long (page navigation). */
  idleStopMs: 2000,
} as const;

type Liveness = 'connecting' | 'live' | 'down';

/**
 * One per signal API instance, shared by every component of the page: subscribes once, probes with echo requests
 * until an echo arrives, then sends a heartbeat echo every {@link SIGNAL_LIVENESS.heartbeatIntervalMs}.
 */
class SignalLiveness {
  #state: Liveness = 'connecting';
  readonly #listeners = new Set<(state: Liveness) => void>();
  readonly #nonces = new Set<string>();
  #subscription?: SignalSubscriber;
  #probeTimer?: ReturnType<typeof setTimeout>;
  #deadline?: ReturnType<typeof setTimeout>;
  #idleTimer?: ReturnType<typeof setTimeout>;
  #probes = 0;
  #stopped = true;

  constructor(
    private readonly signals: SignalApi,
    private readonly echo: ((nonce: string) => Promise<unknown>) | undefined,
  ) {}

  get state() {
    return this.#state;
  }

  acquire(listener: (state: Liveness) => void): () => void {
    clearTimeout(this.#idleTimer);
    this.#listeners.add(listener);
    if (this.#listeners.size === 1 && this.#stopped) this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        // Kept for a moment, so that navigating from one page to the next keeps the proven connection.
        this.#idleTimer = setTimeout(
          () => this.#stop(),
          SIGNAL_LIVENESS.idleStopMs,
        );
      }
    };
  }

  #start() {
    this.#stopped = false;
    this.#state = 'connecting';
    this.#probes = 0;
    this.#subscription = this.signals.subscribe(RESOURCE_SIGNAL_CHANNEL, m => {
      const nonce = (m as { echo?: unknown }).echo;
      if (typeof nonce === 'string' && this.#nonces.delete(nonce)) {
        this.#nonces.clear();
        this.#onEcho();
      }
    });
    if (!this.echo) {
      this.#set('down');
      return;
    }
    this.#armDeadline(SIGNAL_LIVENESS.confirmTimeoutMs);
    this.#probe();
  }

  #stop() {
    this.#stopped = true;
    this.#state = 'connecting';
    clearTimeout(this.#idleTimer);
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    clearTimeout(this.#probeTimer);
    clearTimeout(this.#deadline);
    this.#nonces.clear();
  }

  #set(state: Liveness) {
    if (this.#state === state) return;
    this.#state = state;
    for (const listener of [...this.#listeners]) listener(state);
  }

  #armDeadline(ms: number) {
    clearTimeout(this.#deadline);
    this.#deadline = setTimeout(() => this.#set('down'), ms);
  }

  #onEcho() {
    clearTimeout(this.#deadline);
    clearTimeout(this.#probeTimer);
    this.#set('live');
    this.#probeTimer = setTimeout(
      () => this.#heartbeat(),
      SIGNAL_LIVENESS.heartbeatIntervalMs,
    );
  }

  #heartbeat() {
    if (this.#stopped) return;
    this.#probes = 0;
    this.#armDeadline(SIGNAL_LIVENESS.confirmTimeoutMs);
    this.#probe();
  }

  /** Sends one echo request, and schedules the next one until an echo arrives. */
  #probe() {
    if (this.#stopped || !this.echo) return;
    const delays = SIGNAL_LIVENESS.probeDelaysMs;
    const delay =
      this.#probes < delays.length
        ? delays[this.#probes]
        : SIGNAL_LIVENESS.probeIntervalMs;
    this.#probes += 1;
    // Scheduled before the request: an echo (even one delivered at once) cancels it.
    this.#probeTimer = setTimeout(() => this.#probe(), delay);
    const nonce = newNonce();
    this.#nonces.add(nonce);
    this.echo(nonce).catch((e: { statusCode?: number }) => {
      // 4xx: the backend has no echo endpoint or refuses it: polling it is, for good. 5xx and network errors may
      // pass (a restarting backend), so probing goes on.
      if (e?.statusCode !== undefined && e.statusCode < 500 && !this.#stopped) {
        clearTimeout(this.#probeTimer);
        clearTimeout(this.#deadline);
        this.#set('down');
      }
    });
  }
}

const instances = new WeakMap<SignalApi, SignalLiveness>();

function newNonce(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * Calls `onChange` for every resource change pushed by the backend (Backstage signals), and `onChange(undefined)`
 * whenever the signal connection is confirmed live again after it was not (first connection included): changes
 * published before that may have been missed, so callers re-read once.
 *
 * `isLive` is true only while the subscription is proven to deliver (an echo of `POST /v1/signal-echo` came back
 * and the heartbeat keeps coming back). Callers poll only while it is false: without a signal API in the app, while
 * the first echo is awaited, and while the connection does not deliver.
 * @internal
 */
export function useResourceSignal(
  onChange: (signal: ResourceSignal | undefined) => void,
): { isSignalsAvailable: boolean; isLive: boolean } {
  const apis = useApiHolder();
  const signalApi = apis.get(signalApiRef);
  const provisioningApi = apis.get(provisioningApiRef);
  const callback = useRef(onChange);
  callback.current = onChange;
  const [isLive, setIsLive] = useState(
    () => !!signalApi && instances.get(signalApi)?.state === 'live',
  );

  useEffect(() => {
    if (!signalApi) return undefined;
    let liveness = instances.get(signalApi);
    if (!liveness) {
      liveness = new SignalLiveness(
        signalApi,
        provisioningApi?.echoSignal
          ? nonce => provisioningApi.echoSignal!(nonce)
          : undefined,
      );
      instances.set(signalApi, liveness);
    }
    const shared = liveness;
    let wasLive = shared.state === 'live';
    setIsLive(wasLive);
    const resourceSubscription = signalApi.subscribe<ResourceSignal>(
      RESOURCE_SIGNAL_CHANNEL,
      message => {
        if (message && typeof message.id === 'string') {
          callback.current(message);
        }
      },
    );
    const release = shared.acquire(state => {
      const live = state === 'live';
      setIsLive(live);
      if (live && !wasLive) callback.current(undefined);
      wasLive = live;
    });
    return () => {
      resourceSubscription.unsubscribe();
      release();
    };
  }, [signalApi, provisioningApi]);

  return { isSignalsAvailable: Boolean(signalApi), isLive };
}

/**
 * Polls `fn` every `intervalMs` while `enabled`: the fallback of {@link useResourceSignal} while the signal
 * connection is not live. Does nothing (no timer) when not enabled.
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

/**
 * Wraps `retry` of react-use's `useAsyncRetry`, which ignores a retry while a load is in flight: a change signalled
 * during a load that may have read the state before it would be lost. A call during a load runs one retry as soon as
 * that load ends.
 * @internal
 */
export function useQueuedRetry(retry: () => void, loading: boolean): () => void {
  const pending = useRef(false);
  const state = useRef({ retry, loading });
  state.current = { retry, loading };
  useEffect(() => {
    if (!loading && pending.current) {
      pending.current = false;
      retry();
    }
  }, [loading, retry]);
  return useRef(() => {
    if (state.current.loading) {
      pending.current = true;
    } else {
      state.current.retry();
    }
  }).current;
}
