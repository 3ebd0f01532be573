import { useQuery } from '@tanstack/react-query';
import type { OutcomeCode } from '../../../../../src/contracts/outcomes.ts';
import { get } from '../../../api/client.ts';
import { ErrorNote } from '../../ErrorNote.tsx';
import {
  BarChart,
  CallsOverTime,
  LatencyOverTime,
  Ring,
  type MinutePoint,
  type Tone,
} from '../charts.tsx';
import { formatMs } from '../Time.tsx';

/**
 * `GET /connections/{id}/metrics` (the ConnectionMetrics schema of openapi.json; it has no
 * contract type to import, so it is written out here — keep in step with the dispatch metrics).
 */
interface EnvironmentMetrics {
  environment: string;
  total: number;
  counts: Partial<Record<OutcomeCode, number>>;
  timeoutRate: number;
  latencyMs: { p50: number; p95: number; p99: number } | null;
  pool: { connected: number; free: number; pending: number; running: number } | null;
  circuit: 'closed' | 'open' | 'half_open';
  /** the last hour, a point per minute, oldest first */
  history: MinutePoint[];
}

interface ConnectionMetrics {
  connection: { id: string; name: string };
  environments: EnvironmentMetrics[];
}

/** Metrics move with every call: a look every 15 s keeps the numbers current enough. */
const refreshMs = 15_000;

function toneOf(code: string): Tone {
  if (code === 'OK') return 'ok';
  return /^HTTP_(4XX|AUTH|429)$/.test(code) ? 'warn' : 'bad';
}

/** Calls by outcome, latency quantiles, timeout rate and pool state, per environment. */
export function MetricsSection({ connectionId }: { connectionId: string }) {
  const metrics = useQuery({
    queryKey: ['connections', 'metrics', connectionId],
    queryFn: () => get<ConnectionMetrics>(`/connections/${connectionId}/metrics`),
    refetchInterval: refreshMs,
  });
  const environments = metrics.data?.environments ?? [];
  return (
    <section className="panel" aria-labelledby="metrics-head" id="metrics">
      <h2 id="metrics-head">Metrics</h2>
      <p className="hint">Calls this server made since it started (invoke, test and deliveries).</p>
      {metrics.error && <ErrorNote error={metrics.error} />}
      {metrics.isPending && !metrics.error && <p className="loading">Loading…</p>}
      {metrics.isSuccess && environments.length === 0 && <p className="empty">No calls yet.</p>}
      <div className="metric-cards">
        {environments.map((env) => (
          <EnvironmentCard key={env.environment} metrics={env} />
        ))}
      </div>
    </section>
  );
}

function EnvironmentCard({ metrics }: { metrics: EnvironmentMetrics }) {
  const counts = Object.entries(metrics.counts)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .sort((a, b) => b[1] - a[1]);
  const ok = metrics.counts.OK ?? 0;
  const latency = metrics.latencyMs;
  const pool = metrics.pool;
  return (
    <article className="metric-card" aria-labelledby={`metrics-${metrics.environment}`}>
      <h3 id={`metrics-${metrics.environment}`}>{metrics.environment}</h3>
      <div className="metric-top">
        <Ring label="Calls with outcome OK" part={ok} whole={metrics.total} />
        <dl className="facts">
          <div>
            <dt>Calls</dt>
            <dd>{metrics.total}</dd>
          </div>
          <div>
            <dt>OK</dt>
            <dd>{ok}</dd>
          </div>
          <div>
            <dt>Timeout rate</dt>
            <dd>{(metrics.timeoutRate * 100).toFixed(1)}%</dd>
          </div>
          <div>
            <dt>Circuit</dt>
            <dd>
              <span className={`pill ${metrics.circuit === 'closed' ? 'ok' : 'bad'}`}>
                {metrics.circuit.replace('_', ' ')}
              </span>
            </dd>
          </div>
        </dl>
      </div>
      {counts.length > 0 && (
        <figure className="figure">
          <figcaption>Outcomes</figcaption>
          <BarChart
            title={`Outcomes in ${metrics.environment}`}
            bars={counts.map(([code, count]) => ({
              label: code,
              value: count,
              tone: toneOf(code),
            }))}
          />
        </figure>
      )}
      {metrics.history.length > 0 && (
        <figure className="figure">
          <figcaption>Calls per minute, last hour (failed in red)</figcaption>
          <CallsOverTime title={`Calls in ${metrics.environment}`} points={metrics.history} />
          <TimeAxis points={metrics.history} />
        </figure>
      )}
      {metrics.history.some((point) => point.latencyMs) && (
        <figure className="figure">
          <figcaption>Latency per minute, last hour</figcaption>
          <LatencyOverTime title={`Latency in ${metrics.environment}`} points={metrics.history} />
          <TimeAxis points={metrics.history} />
          <p className="chart-legend" aria-hidden="true">
            <span>
              <span className="swatch" style={{ background: 'var(--brand)' }} />
              p50
            </span>
            <span>
              <span className="swatch" style={{ background: '#c98a00' }} />
              p95
            </span>
            <span>
              <span className="swatch" style={{ background: 'var(--bad)' }} />
              p99
            </span>
          </p>
        </figure>
      )}
      {latency && (
        <figure className="figure">
          <figcaption>Latency now (the latest 1,024 calls)</figcaption>
          <BarChart
            title={`Latency in ${metrics.environment}`}
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
            title={`Pool in ${metrics.environment}`}
            bars={[
              { label: 'connected', value: pool.connected },
              { label: 'running', value: pool.running },
              { label: 'free', value: pool.free, tone: 'ok' },
              { label: 'pending', value: pool.pending, tone: pool.pending > 0 ? 'warn' : 'info' },
            ]}
          />
        </figure>
      )}
    </article>
  );
}

/** Under an hour chart: where it starts (UTC, as the API counts minutes) and that it ends now. */
function TimeAxis({ points }: { points: MinutePoint[] }) {
  const first = points[0]?.minute;
  return (
    <p className="chart-axis" aria-hidden="true">
      <span>{first ? `${first.slice(11, 16)}Z` : ''}</span>
      <span>now</span>
    </p>
  );
}
