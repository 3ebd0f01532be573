// Small charts drawn as inline SVG (no chart library: the first page load stays small). Each
// chart is an image with a text alternative; the numbers it draws are also written beside it.

export type Tone = 'ok' | 'warn' | 'bad' | 'info';

export interface Bar {
  label: string;
  value: number;
  tone?: Tone;
  /** how the value is written at the end of its bar (default: the number) */
  text?: string;
}

const rowHeight = 22;
// room for the longest outcome code (TEMPLATE_UNRESOLVED, 19 characters) at 11 px monospace
const labelWidth = 150;
const valueWidth = 64;
const chartWidth = 380;

/** Horizontal bars, one a row, scaled to the largest value (or to `max`). */
export function BarChart({ title, bars, max }: { title: string; bars: Bar[]; max?: number }) {
  const top = Math.max(max ?? 0, ...bars.map((bar) => bar.value), 1);
  const span = chartWidth - labelWidth - valueWidth;
  const height = bars.length * rowHeight;
  const summary = `${title}: ${bars.map((bar) => `${bar.label} ${bar.text ?? bar.value}`).join(', ')}`;
  return (
    <svg
      className="chart"
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${chartWidth} ${height}`}
      width={chartWidth}
      height={height}
    >
      <title>{summary}</title>
      {bars.map((bar, index) => {
        const y = index * rowHeight;
        const width = bar.value > 0 ? Math.max(2, (bar.value / top) * span) : 0;
        return (
          <g key={bar.label} transform={`translate(0 ${y})`}>
            <text x={labelWidth - 8} y={rowHeight / 2} className="chart-label" textAnchor="end">
              {bar.label}
            </text>
            <rect
              x={labelWidth}
              y={4}
              width={span}
              height={rowHeight - 8}
              className="chart-track"
              rx={2}
            />
            <rect
              x={labelWidth}
              y={4}
              width={width}
              height={rowHeight - 8}
              className={`chart-bar ${bar.tone ?? 'info'}`}
              rx={2}
            />
            <text x={labelWidth + span + 6} y={rowHeight / 2} className="chart-value">
              {bar.text ?? bar.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A ring showing `part` of `whole` (e.g. successful calls of all), the share written inside. */
export function Ring({ label, part, whole }: { label: string; part: number; whole: number }) {
  const share = whole > 0 ? part / whole : 0;
  const radius = 26;
  const circumference = 2 * Math.PI * radius;
  const percent = whole > 0 ? `${(share * 100).toFixed(share === 1 || share === 0 ? 0 : 1)}%` : '—';
  const tone = whole === 0 ? 'info' : share >= 0.99 ? 'ok' : share >= 0.9 ? 'warn' : 'bad';
  const summary = `${label}: ${percent} (${part} of ${whole})`;
  return (
    <svg
      className="ring"
      role="img"
      aria-label={summary}
      viewBox="0 0 64 64"
      width="64"
      height="64"
    >
      <title>{summary}</title>
      <circle
        cx="32"
        cy="32"
        r={radius}
        className={`chart-track-ring${whole > 0 ? ' missed' : ''}`}
      />
      <circle
        cx="32"
        cy="32"
        r={radius}
        className={`chart-ring ${tone}`}
        strokeDasharray={`${share * circumference} ${circumference}`}
        transform="rotate(-90 32 32)"
      />
      <text x="32" y="32" className="ring-text" textAnchor="middle">
        {percent}
      </text>
    </svg>
  );
}

export interface MinutePoint {
  minute: string;
  total: number;
  failures: number;
  latencyMs: { p50: number; p95: number; p99: number } | null;
}

const seriesWidth = 380;
const seriesHeight = 90;
const seriesPad = 4;

/** "10:42": the minute of an ISO timestamp, as the axis shows it (UTC, as the API counts). */
function minuteLabel(iso: string): string {
  return `${iso.slice(11, 16)}Z`;
}

/**
 * Calls per minute over the last hour: a column per minute, its failed part in red. The text
 * alternative gives the totals and the busiest minute.
 */
export function CallsOverTime({ title, points }: { title: string; points: MinutePoint[] }) {
  const top = Math.max(1, ...points.map((point) => point.total));
  const width = (seriesWidth - seriesPad * 2) / Math.max(1, points.length);
  const total = points.reduce((sum, point) => sum + point.total, 0);
  const failures = points.reduce((sum, point) => sum + point.failures, 0);
  const busiest = points.reduce((best, point) => (point.total > best.total ? point : best), {
    minute: '',
    total: 0,
    failures: 0,
    latencyMs: null,
  } as MinutePoint);
  const summary = `${title}: ${total} calls in the last hour, ${failures} failed${
    busiest.total > 0 ? `; busiest minute ${minuteLabel(busiest.minute)} with ${busiest.total}` : ''
  }`;
  const scale = (value: number) => (value / top) * (seriesHeight - seriesPad * 2);
  return (
    <svg
      className="chart"
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${seriesWidth} ${seriesHeight}`}
      width={seriesWidth}
      height={seriesHeight}
    >
      <title>{summary}</title>
      <rect x={0} y={0} width={seriesWidth} height={seriesHeight} className="chart-track" />
      {points.map((point, index) => {
        const x = seriesPad + index * width;
        const okHeight = scale(point.total - point.failures);
        const badHeight = scale(point.failures);
        const base = seriesHeight - seriesPad;
        return (
          <g key={point.minute}>
            {okHeight > 0 && (
              <rect
                x={x}
                y={base - okHeight}
                width={Math.max(1, width - 1)}
                height={okHeight}
                className="chart-bar ok"
              />
            )}
            {badHeight > 0 && (
              <rect
                x={x}
                y={base - okHeight - badHeight}
                width={Math.max(1, width - 1)}
                height={badHeight}
                className="chart-bar bad"
              />
            )}
          </g>
        );
      })}
    </svg>
  );
}

const quantileTone = { p50: 'ok', p95: 'warn', p99: 'bad' } as const;

/** Latency per minute over the last hour: a line each for p50, p95 and p99 (gaps when quiet). */
export function LatencyOverTime({ title, points }: { title: string; points: MinutePoint[] }) {
  const busy = points.filter((point) => point.latencyMs);
  const top = Math.max(1, ...busy.map((point) => point.latencyMs?.p99 ?? 0));
  const step = (seriesWidth - seriesPad * 2) / Math.max(1, points.length - 1);
  const y = (ms: number) => seriesHeight - seriesPad - (ms / top) * (seriesHeight - seriesPad * 2);
  const worst = busy.reduce((best, point) => Math.max(best, point.latencyMs?.p95 ?? 0), 0);
  const summary = `${title}: ${busy.length} minutes with calls in the last hour; the worst p95 ${worst} ms, p99 up to ${busy.length ? top : 0} ms`;
  /** the polyline segments of one quantile: broken where a minute had no calls */
  const segments = (quantile: 'p50' | 'p95' | 'p99') => {
    const out: string[][] = [];
    let current: string[] = [];
    points.forEach((point, index) => {
      const ms = point.latencyMs?.[quantile];
      if (ms === undefined) {
        if (current.length) out.push(current);
        current = [];
      } else current.push(`${(seriesPad + index * step).toFixed(1)},${y(ms).toFixed(1)}`);
    });
    if (current.length) out.push(current);
    return out;
  };
  return (
    <svg
      className="chart"
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${seriesWidth} ${seriesHeight}`}
      width={seriesWidth}
      height={seriesHeight}
    >
      <title>{summary}</title>
      <rect x={0} y={0} width={seriesWidth} height={seriesHeight} className="chart-track" />
      {(['p50', 'p95', 'p99'] as const).map((quantile) =>
        segments(quantile).map((segment, index) =>
          segment.length === 1 ? (
            <circle
              key={`${quantile}-${index}`}
              cx={segment[0]?.split(',')[0]}
              cy={segment[0]?.split(',')[1]}
              r={2}
              className={`chart-line ${quantileTone[quantile]}`}
            />
          ) : (
            <polyline
              key={`${quantile}-${index}`}
              points={segment.join(' ')}
              className={`chart-line ${quantileTone[quantile]}`}
            />
          ),
        ),
      )}
    </svg>
  );
}
