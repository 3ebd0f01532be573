// Small charts drawn as inline SVG (no chart library: the first page load stays small). Each
// chart is an image with a text alternative; the numbers it draws are also written beside it.
import './charts.css';

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
  /** the point's start, ISO-8601 UTC */
  minute: string;
  total: number;
  failures: number;
  latencyMs: { p50: number; p95: number; p99: number } | null;
}

/** What a series spans: its words in text alternatives and how its axis is labelled. */
export interface SeriesSpan {
  /** "the last hour", "the last 24 hours"… */
  label: string;
  /** minutes per point */
  stepMinutes: number;
}

// Time series are drawn in a viewBox stretched to the panel's width (preserveAspectRatio
// none: the columns and lines fill it, strokes keep their width by vector-effect); their
// labels are HTML around the SVG, so text is never stretched.
const seriesWidth = 1000;
const seriesHeight = 160;

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric' });
const pointTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** When a point starts, in the reader's zone: "Tue 10:45". */
export function formatPointTime(iso: string): string {
  return pointTime.format(new Date(iso));
}

/**
 * The axis ticks of a series, in the reader's time zone: every 10 minutes over an hour, every
 * 4 hours over a day, every midnight over a week.
 */
export function axisTicks(
  points: readonly MinutePoint[],
  stepMinutes: number,
): Array<{ index: number; text: string }> {
  const ticks: Array<{ index: number; text: string }> = [];
  points.forEach((point, index) => {
    const date = new Date(point.minute);
    const minutes = date.getHours() * 60 + date.getMinutes();
    if (stepMinutes < 15) {
      if (minutes % 10 === 0) ticks.push({ index, text: clock.format(date) });
    } else if (stepMinutes < 60) {
      if (minutes % 240 === 0) ticks.push({ index, text: clock.format(date) });
    } else if (minutes === 0) {
      ticks.push({ index, text: weekday.format(date) });
    }
  });
  return ticks;
}

/** The labels under a series: ticks at their point's place, in local time. */
function TimeAxis({ points, span }: { points: readonly MinutePoint[]; span: SeriesSpan }) {
  const ticks = axisTicks(points, span.stepMinutes);
  return (
    <div className="series-axis" aria-hidden="true">
      {ticks.map((tick) => {
        const at = ((tick.index + 0.5) / points.length) * 100;
        // a label at either edge leans inwards instead of being cut off
        const shift = at < 6 ? '0' : at > 94 ? '-100%' : '-50%';
        return (
          <span key={tick.index} style={{ left: `${at}%`, transform: `translateX(${shift})` }}>
            {tick.text}
          </span>
        );
      })}
    </div>
  );
}

/** A series' frame: the top value on the left, the plot, the time axis under it. */
function SeriesFrame({
  summary,
  top,
  points,
  span,
  children,
}: {
  summary: string;
  top: string;
  points: readonly MinutePoint[];
  span: SeriesSpan;
  children: React.ReactNode;
}) {
  return (
    <div className="series">
      <div className="series-plot">
        <span className="series-top" aria-hidden="true">
          {top}
        </span>
        <svg
          className="series-chart"
          role="img"
          aria-label={summary}
          viewBox={`0 0 ${seriesWidth} ${seriesHeight}`}
          preserveAspectRatio="none"
        >
          <title>{summary}</title>
          <rect x={0} y={0} width={seriesWidth} height={seriesHeight} className="chart-track" />
          {children}
        </svg>
      </div>
      <TimeAxis points={points} span={span} />
    </div>
  );
}

/**
 * Calls over time: a column per point, its failed part in red. The text alternative gives the
 * totals and the busiest point; each column tells its own numbers on hover.
 */
export function CallsOverTime({
  title,
  points,
  span,
}: {
  title: string;
  points: readonly MinutePoint[];
  span: SeriesSpan;
}) {
  const top = Math.max(1, ...points.map((point) => point.total));
  const width = seriesWidth / Math.max(1, points.length);
  const total = points.reduce((sum, point) => sum + point.total, 0);
  const failures = points.reduce((sum, point) => sum + point.failures, 0);
  const busiest = points.reduce<MinutePoint | undefined>(
    (best, point) => (point.total > (best?.total ?? 0) ? point : best),
    undefined,
  );
  const summary = `${title}: ${total} calls in ${span.label}, ${failures} failed${
    busiest ? `; the busiest point ${formatPointTime(busiest.minute)} with ${busiest.total}` : ''
  }`;
  const scale = (value: number) => (value / top) * (seriesHeight - 4);
  return (
    <SeriesFrame summary={summary} top={`${top} calls`} points={points} span={span}>
      {points.map((point, index) => {
        const x = index * width;
        const okHeight = scale(point.total - point.failures);
        const badHeight = scale(point.failures);
        return (
          <g key={point.minute}>
            <title>{`${formatPointTime(point.minute)}: ${point.total} calls, ${point.failures} failed`}</title>
            <rect x={x} y={0} width={width} height={seriesHeight} className="series-hit" />
            {okHeight > 0 && (
              <rect
                x={x + width * 0.1}
                y={seriesHeight - okHeight}
                width={width * 0.8}
                height={okHeight}
                className="chart-bar ok"
              />
            )}
            {badHeight > 0 && (
              <rect
                x={x + width * 0.1}
                y={seriesHeight - okHeight - badHeight}
                width={width * 0.8}
                height={badHeight}
                className="chart-bar bad"
              />
            )}
          </g>
        );
      })}
    </SeriesFrame>
  );
}

const quantiles = ['p50', 'p95', 'p99'] as const;

/** Latency over time: a line each for p50, p95 and p99, broken where a point had no calls. */
export function LatencyOverTime({
  title,
  points,
  span,
}: {
  title: string;
  points: readonly MinutePoint[];
  span: SeriesSpan;
}) {
  const busy = points.filter((point) => point.latencyMs);
  const top = Math.max(1, ...busy.map((point) => point.latencyMs?.p99 ?? 0));
  const width = seriesWidth / Math.max(1, points.length);
  const y = (ms: number) => seriesHeight - 2 - (ms / top) * (seriesHeight - 6);
  const worst = busy.reduce((best, point) => Math.max(best, point.latencyMs?.p95 ?? 0), 0);
  const summary = `${title}: ${busy.length} of ${points.length} points with calls in ${span.label}; the worst p95 ${worst} ms, p99 up to ${busy.length ? top : 0} ms`;
  /** the polyline segments of one quantile: broken where a point had no calls */
  const segments = (quantile: (typeof quantiles)[number]) => {
    const out: Array<Array<[number, number]>> = [];
    let current: Array<[number, number]> = [];
    points.forEach((point, index) => {
      const ms = point.latencyMs?.[quantile];
      if (ms === undefined) {
        if (current.length) out.push(current);
        current = [];
      } else current.push([(index + 0.5) * width, y(ms)]);
    });
    if (current.length) out.push(current);
    return out;
  };
  return (
    <SeriesFrame summary={summary} top={formatAxisMs(top)} points={points} span={span}>
      {points.map((point, index) =>
        point.latencyMs ? (
          <rect
            key={point.minute}
            x={index * width}
            y={0}
            width={width}
            height={seriesHeight}
            className="series-hit"
          >
            <title>{`${formatPointTime(point.minute)}: p50 ${point.latencyMs.p50} ms, p95 ${point.latencyMs.p95} ms, p99 ${point.latencyMs.p99} ms`}</title>
          </rect>
        ) : null,
      )}
      {quantiles.map((quantile) =>
        segments(quantile).map((segment, index) =>
          segment.length === 1 ? (
            <line
              key={`${quantile}-${index}`}
              x1={(segment[0]?.[0] ?? 0) - Math.max(width * 0.35, 4)}
              x2={(segment[0]?.[0] ?? 0) + Math.max(width * 0.35, 4)}
              y1={segment[0]?.[1]}
              y2={segment[0]?.[1]}
              className={`series-line point ${quantile}`}
            />
          ) : (
            <polyline
              key={`${quantile}-${index}`}
              points={segment.map(([x, yy]) => `${x.toFixed(1)},${yy.toFixed(1)}`).join(' ')}
              className={`series-line ${quantile}`}
            />
          ),
        ),
      )}
    </SeriesFrame>
  );
}

/** The legend of LatencyOverTime's lines. */
export function LatencyLegend() {
  return (
    <p className="series-legend" aria-hidden="true">
      {quantiles.map((quantile) => (
        <span key={quantile}>
          <span className={`series-swatch ${quantile}`} />
          {quantile}
        </span>
      ))}
    </p>
  );
}

function formatAxisMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms * 10) / 10} ms` : `${(ms / 1000).toFixed(1)} s`;
}
