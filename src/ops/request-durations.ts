import type { Metric, Registry } from 'prom-client';

/** One exposition line as prom-client's Registry formats it (`labels` first, then `sharedLabels`). */
interface Line {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
}

interface Series {
  /** method, route and status_code, shared by the series' lines. */
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative), by upper bound's index. */
  counts: number[];
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram of request durations by method, route pattern and status code, with
 * the exposition of prom-client's Histogram. Observed on every request, so it finds a series by
 * one string key instead of prom-client's per-observation label validation and hashing (about a
 * twentieth of a request's CPU in `node --cpu-prof`). Labels come from the router, never from
 * the client, so the key cannot collide across label sets.
 */
export class RequestDurationHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly upperBounds: readonly number[],
    registers: Registry[],
  ) {
    for (const registry of registers) registry.registerMetric(this as unknown as Metric);
  }

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${statusCode} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      series = {
        labels: { method, route, status_code: String(statusCode) },
        counts: this.upperBounds.map(() => 0),
        sum: 0,
        count: 0,
      };
      this.series.set(key, series);
    }
    let bucket = 0;
    while (bucket < this.upperBounds.length && seconds > this.upperBounds[bucket]!) bucket += 1;
    if (bucket < this.upperBounds.length) series.counts[bucket]! += 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** What prom-client's Registry reads when /metrics is scraped. */
  get() {
    const values: Line[] = [];
    const bucket = `${this.name}_bucket`;
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.upperBounds.forEach((le, i) => {
        cumulative += counts[i]!;
        values.push({ labels: { le }, sharedLabels: labels, value: cumulative, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: labels, value: count, metricName: bucket });
      values.push({ labels: {}, sharedLabels: labels, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: labels, value: count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.series.clear();
  }
}
