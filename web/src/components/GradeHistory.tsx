import type { Site } from '../api/service-types.ts';

/** A point of a grade history: the security grade of a scan, or its privacy grade. */
type Point = Pick<Site['trend'][number], 'at' | 'grade' | 'score'>;

/** Maps scores (0–100) onto an SVG box; x spreads the points evenly, oldest on the left. */
function layout(points: Point[], width: number, height: number, pad: number) {
  const step = points.length > 1 ? (width - 2 * pad) / (points.length - 1) : 0;
  return points.map((p, i) => ({
    ...p,
    x: points.length > 1 ? pad + i * step : width / 2,
    y: pad + ((100 - Math.max(0, Math.min(100, p.score))) / 100) * (height - 2 * pad),
  }));
}

const describe = (points: Point[]) => points.map((p) => p.grade).join(', ');

/** A small inline trend of a site's grades (attributes only: the CSP forbids style attributes). */
export function Sparkline({ trend }: { trend: Point[] }) {
  if (trend.length === 0) return <span className="hint">No scans yet</span>;
  const width = 96;
  const height = 28;
  const placed = layout(trend, width, height, 3);
  const last = placed.at(-1)!;
  return (
    <svg
      className="sparkline"
      role="img"
      aria-label={`Grade trend, oldest first: ${describe(trend)}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      {placed.length > 1 && (
        <polyline
          className="sparkline-line"
          fill="none"
          strokeWidth="2"
          points={placed.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}
        />
      )}
      <circle className="sparkline-dot" cx={last.x} cy={last.y} r="3" />
    </svg>
  );
}

/**
 * One grade history on the site page: score over time, one labelled point per scan. `id` keeps the
 * caption's id unique when the page shows several (security and privacy); `subject` names the score
 * and `scans` the scans it counts (`Score of the last 3 successful scans, …`).
 */
export function HistoryChart({
  points,
  id,
  subject,
  scans,
  empty,
}: {
  points: Point[];
  id: string;
  subject: string;
  scans: { one: string; many: string };
  empty: string;
}) {
  if (points.length === 0) return <p className="hint">{empty}</p>;
  const width = 640;
  const height = 200;
  // Room for the score axis at its phone size (24 units: service.css), where "100" is about 40 wide.
  const left = 52;
  const placed = layout(points, width - left, height, 16).map((p) => ({ ...p, x: p.x + left }));
  const gridY = [100, 75, 50, 25, 0];
  const y = (score: number) => 16 + ((100 - score) / 100) * (height - 32);
  const captionId = `${id}-caption`;
  return (
    <figure className="history" data-testid={id}>
      <svg
        className="history-chart"
        role="img"
        aria-labelledby={captionId}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="xMidYMid meet"
      >
        {gridY.map((score) => (
          <g key={score}>
            <line className="history-grid" x1={left} x2={width - 8} y1={y(score)} y2={y(score)} />
            <text className="history-axis" x={left - 6} y={y(score) + 4} textAnchor="end">
              {score}
            </text>
          </g>
        ))}
        {placed.length > 1 && (
          <polyline
            className="history-line"
            fill="none"
            strokeWidth="2.5"
            points={placed.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}
          />
        )}
        {placed.map((p) => (
          <g key={p.at}>
            <circle className="history-dot" cx={p.x} cy={p.y} r="5">
              <title>{`${p.grade} (${p.score}) on ${new Date(p.at).toLocaleString()}`}</title>
            </circle>
            <text className="history-label" x={p.x} y={p.y - 10} textAnchor="middle">
              {p.grade}
            </text>
          </g>
        ))}
      </svg>
      <figcaption id={captionId} className="hint">
        {points.length === 1
          ? `One ${scans.one} so far: ${points[0]!.grade} (${points[0]!.score}). The line starts with the next one.`
          : `${subject} of the last ${points.length} ${scans.many}, oldest first: ${points
              .map((p) => `${p.grade} (${p.score})`)
              .join(', ')}.`}
      </figcaption>
    </figure>
  );
}
