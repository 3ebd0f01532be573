import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import {
  defaultMetricRange,
  metricRanges,
  type MetricRange,
} from '../../../../../src/contracts/metric-ranges.ts';
import type { MetricsOut } from '../../../../../src/contracts/metrics.ts';
import { get } from '../../../api/client.ts';
import { ErrorNote } from '../../ErrorNote.tsx';
import {
  BarChart,
  CallsOverTime,
  LatencyLegend,
  LatencyOverTime,
  Ring,
  type SeriesSpan,
  type Tone,
} from '../charts.tsx';
import { formatMs } from '../Time.tsx';
import { useEnvironments } from '../useEnvironments.ts';
import { CircuitNote } from './CircuitNote.tsx';
import './metrics.css';

type EnvironmentMetrics = MetricsOut['environments'][number];

/** Metrics move with every call: a look every 15 s (the server stores minutes as often). */
const refreshMs = 15_000;

const rangeText: Record<MetricRange, { button: string; span: string }> = {
  '1h': { button: '1 hour', span: 'the last hour' },
  '24h': { button: '24 hours', span: 'the last 24 hours' },
  '7d': { button: '7 days', span: 'the last 7 days' },
};

function toneOf(code: string): Tone {
  if (code === 'OK') return 'ok';
  return /^HTTP_(4XX|AUTH|429)$/.test(code) ? 'warn' : 'bad';
}

/** The range in the URL (`?range=`), so Back and a shared link keep it. */
function useRange(): [MetricRange, (range: MetricRange) => void] {
  const [params, setParams] = useSearchParams();
  const asked = params.get('range');
  const range = metricRanges.find((known) => known === asked) ?? defaultMetricRange;
  const setRange = (next: MetricRange) =>
    setParams(
      (was) => {
        const out = new URLSearchParams(was);
        if (next === defaultMetricRange) out.delete('range');
        else out.set('range', next);
        return out;
      },
      { replace: true, preventScrollReset: true },
    );
  return [range, setRange];
}

/** Calls and latency over a chosen range, outcomes, pool and circuit, per environment. */
export function MetricsSection({ connectionId }: { connectionId: string }) {
  const [range, setRange] = useRange();
  const environments = useEnvironments();
  const metrics = useQuery({
    queryKey: ['connections', 'metrics', connectionId, range],
    queryFn: () => get<MetricsOut>(`/connections/${connectionId}/metrics?range=${range}`),
    refetchInterval: refreshMs,
    placeholderData: keepPreviousData,
  });
  const names = new Map(environments.data?.items.map((env) => [env.id, env.name]));
  const rows = metrics.data?.environments ?? [];
  const span: SeriesSpan = {
    label: rangeText[range].span,
    stepMinutes: metrics.data?.stepMinutes ?? 1,
  };
  return (
    <section className="panel" aria-labelledby="metrics-head" id="metrics">
      <div className="section-head">
        <h2 id="metrics-head">Metrics</h2>
        <div className="range-picker" role="group" aria-label="Time range">
          {metricRanges.map((option) => (
            <button
              key={option}
              type="button"
              className="range-option"
              aria-pressed={option === range}
              onClick={() => setRange(option)}
            >
              {rangeText[option].button}
            </button>
          ))}
        </div>
      </div>
      <p className="hint">
        Calls over time are kept per minute for 7 days and survive a restart. Outcomes, latency now
        and the pool count this server&apos;s calls since it started.
      </p>
      {metrics.error && <ErrorNote error={metrics.error} />}
      {metrics.isPending && !metrics.error && <p className="loading">Loading…</p>}
      {metrics.isSuccess && rows.length === 0 && (
        <p className="empty">
          No calls in {rangeText[range].span}. Deploy the connection and call it, or send a
          delivery: calls show here within seconds.
        </p>
      )}
      {rows.map((env) => (
        <EnvironmentMetricsCard
          key={env.environment}
          metrics={env}
          name={names.get(env.environment) ?? env.environment}
          span={span}
          nowMs={metrics.dataUpdatedAt || Date.now()}
        />
      ))}
    </section>
  );
}

function EnvironmentMetricsCard({
  metrics,
  name,
  span,
  nowMs,
}: {
  metrics: EnvironmentMetrics;
  name: string;
  span: SeriesSpan;
  nowMs: number;
}) {
  const counts = Object.entries(metrics.counts)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .sort((a, b) => b[1] - a[1]);
  const inRange = metrics.history.reduce((sum, point) => sum + point.total, 0);
  const failedInRange = metrics.history.reduce((sum, point) => sum + point.failures, 0);
  const latency = metrics.latencyMs;
  const pool = metrics.pool;
  const headId = `metrics-${metrics.environment}`;
  return (
    <article className="metrics-env" aria-labelledby={headId}>
      <h3 id={headId}>{name}</h3>
      <div className="metrics-summary">
        <Ring label={`Calls OK in ${span.label}`} part={inRange - failedInRange} whole={inRange} />
        <dl className="facts">
          <div>
            <dt>Calls in {span.label}</dt>
            <dd>{inRange}</dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd>{failedInRange}</dd>
          </div>
          <div>
            <dt>Timeout rate (since start)</dt>
            <dd>{(metrics.timeoutRate * 100).toFixed(1)}%</dd>
          </div>
        </dl>
        <CircuitNote circuit={metrics.circuitDetail} environment={name} nowMs={nowMs} />
      </div>
      <figure className="figure metrics-wide">
        <figcaption>
          Calls, {span.label} (failed in red; a column is {stepText(span.stepMinutes)})
        </figcaption>
        <CallsOverTime title={`Calls in ${name}`} points={metrics.history} span={span} />
      </figure>
      <figure className="figure metrics-wide">
        <figcaption>Latency p50, p95 and p99, {span.label}</figcaption>
        <LatencyOverTime title={`Latency in ${name}`} points={metrics.history} span={span} />
        <LatencyLegend />
      </figure>
      <div className="metrics-small">
        {counts.length > 0 && (
          <figure className="figure">
            <figcaption>Outcomes since start</figcaption>
            <BarChart
              title={`Outcomes in ${name}`}
              bars={counts.map(([code, count]) => ({
                label: code,
                value: count,
                tone: toneOf(code),
              }))}
            />
          </figure>
        )}
        {latency && (
          <figure className="figure">
            <figcaption>Latency now (the latest 1,024 calls)</figcaption>
            <BarChart
              title={`Latency now in ${name}`}
              bars={(['p50', 'p95', 'p99'] as const).map((quantile) => ({
                label: quantile,
                value: latency[quantile],
                text: formatMs(latency[quantile]),
                tone: 'info',
              }))}
            />
          </figure>
        )}
        {pool && (
          <figure className="figure">
            <figcaption>Connection pool</figcaption>
            <BarChart
              title={`Pool in ${name}`}
              bars={[
                { label: 'connected', value: pool.connected },
                { label: 'running', value: pool.running },
                { label: 'free', value: pool.free, tone: 'ok' },
                {
                  label: 'pending',
                  value: pool.pending,
                  tone: pool.pending > 0 ? 'warn' : 'info',
                },
              ]}
            />
          </figure>
        )}
      </div>
    </article>
  );
}

function stepText(stepMinutes: number): string {
  if (stepMinutes === 1) return 'a minute';
  if (stepMinutes < 60) return `${stepMinutes} minutes`;
  return stepMinutes === 60 ? 'an hour' : `${stepMinutes / 60} hours`;
}
