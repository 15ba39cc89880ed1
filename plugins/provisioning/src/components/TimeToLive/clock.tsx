import { createContext, ReactNode, useContext, useEffect, useState } from 'react';

/** A clock in epoch ms. @internal */
export type Clock = () => number;

const ClockContext = createContext<Clock>(() => Date.now());

/**
 * Provides the clock the time-to-live components read (default `Date.now`): tests inject a fixed or stepped one.
 * @internal
 */
export function ClockProvider(props: { clock: Clock; children: ReactNode }) {
  return <ClockContext.Provider value={props.clock}>{props.children}</ClockContext.Provider>;
}

/** The injected clock's time, re-read every `intervalMs` (default 1 s) so that what shows it updates. @internal */
export function useNow(intervalMs = 1_000): number {
  const clock = useContext(ClockContext);
  const [now, setNow] = useState(() => clock());
  useEffect(() => {
    setNow(clock());
    const timer = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(timer);
  }, [clock, intervalMs]);
  return now;
}
