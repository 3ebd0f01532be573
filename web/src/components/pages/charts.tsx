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
