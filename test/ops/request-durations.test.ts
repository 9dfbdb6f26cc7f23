import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestDurationHistogram } from '../../src/ops/request-durations.ts';

const BUCKETS = [0.005, 0.01, 0.5, 1];
const OBSERVED: [string, string, number, number][] = [
  ['GET', '/healthz', 200, 0.001],
  ['GET', '/healthz', 200, 0.005],
  ['GET', '/healthz', 200, 0.7],
  ['POST', '/api/v1/orgs/:orgId/scans', 429, 0.02],
  ['GET', 'unmatched', 404, 3],
  ['GET', '/a "quoted" \\ route', 200, 0.002],
];

async function exposition(observe: (registry: Registry) => void): Promise<string> {
  const registry = new Registry();
  registry.setDefaultLabels({ pid: '42' });
  observe(registry);
  return registry.metrics();
}

describe('RequestDurationHistogram', () => {
  it("exposes the same text as prom-client's Histogram for the same observations", async () => {
    const ours = await exposition((registry) => {
      const histogram = new RequestDurationHistogram('d', 'durations', BUCKETS, [registry]);
      for (const [method, route, status, seconds] of OBSERVED)
        histogram.observe(method, route, status, seconds);
    });
    const theirs = await exposition((registry) => {
      const histogram = new Histogram({
        name: 'd',
        help: 'durations',
        labelNames: ['method', 'route', 'status_code'],
        buckets: BUCKETS,
        registers: [registry],
      });
      for (const [method, route, status, seconds] of OBSERVED)
        histogram.observe({ method, route, status_code: String(status) }, seconds);
    });
    expect(ours).toBe(theirs);
    expect(ours).toContain('d_bucket{le="0.005",pid="42",method="GET",route="/healthz",status_code="200"} 2');
  });
});
