const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
});

/** A monthly cost in USD, e.g. `$15.00/month`. */
export function formatMonthly(costUsd: number): string {
  return `${usd.format(costUsd)}/month`;
}

/**
 * A short relative time ("5 min ago", "3 h ago", "2 d ago") of an ISO 8601 timestamp, measured from `now`
 * (milliseconds since the epoch; injected so that tests do not depend on the clock).
 */
export function formatAgo(iso: string, now: number): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}
