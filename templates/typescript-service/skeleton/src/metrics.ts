/**
 * Prometheus metrics of ${{ values.name }}, served as text at `GET /metrics`
 * (exposition format 0.0.4, no dependency): request counts and latency histogram by route and status,
 * in-flight requests and process uptime.
 */
export interface Metrics {
  /** Records one finished request; `durationSeconds` in seconds. */
  observe(request: { method: string; route: string; status: number; durationSeconds: number }): void;
  /** Changes the number of requests being served by `delta`. */
  inFlight(delta: number): void;
  /** The metrics in Prometheus text format. */
  render(): string;
}

/** Upper bounds (seconds) of the latency histogram's buckets. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function createMetrics(options: { now?: () => number } = {}): Metrics {
  const now = options.now ?? (() => performance.now() / 1000);
  const startedAt = now();
  const counts = new Map<string, number>();
  const histograms = new Map<string, { buckets: number[]; sum: number; count: number }>();
  let inFlight = 0;
  return {
    observe({ method, route, status, durationSeconds }) {
      const key = `method="${escape(method)}",route="${escape(route)}",status="${status}"`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const hKey = `method="${escape(method)}",route="${escape(route)}"`;
      const h = histograms.get(hKey) ?? { buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
      LATENCY_BUCKETS.forEach((le, i) => {
        if (durationSeconds <= le) h.buckets[i] += 1;
      });
      h.sum += durationSeconds;
      h.count += 1;
      histograms.set(hKey, h);
    },
    inFlight(delta) {
      inFlight += delta;
    },
    render() {
      const lines = [
        '# HELP http_requests_total Requests served, by method, route and status.',
        '# TYPE http_requests_total counter',
        ...[...counts].map(([labels, n]) => `http_requests_total{${labels}} ${n}`),
        '# HELP http_request_duration_seconds Request latency in seconds.',
        '# TYPE http_request_duration_seconds histogram',
      ];
      for (const [labels, h] of histograms) {
        LATENCY_BUCKETS.forEach((le, i) => lines.push(`http_request_duration_seconds_bucket{${labels},le="${le}"} ${h.buckets[i]}`));
        lines.push(`http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
        lines.push(`http_request_duration_seconds_sum{${labels}} ${h.sum}`);
        lines.push(`http_request_duration_seconds_count{${labels}} ${h.count}`);
      }
      lines.push(
        '# HELP http_requests_in_flight Requests being served.',
        '# TYPE http_requests_in_flight gauge',
        `http_requests_in_flight ${inFlight}`,
        '# HELP process_uptime_seconds Seconds since the service started.',
        '# TYPE process_uptime_seconds gauge',
        `process_uptime_seconds ${Math.max(0, now() - startedAt)}`,
      );
      return `${lines.join('\n')}\n`;
    },
  };
}
