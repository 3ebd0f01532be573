import type { CircuitDetail } from '../../../../../src/contracts/metrics.ts';
import { Time } from '../Time.tsx';

/** "30 s", "2 min": a wait as a person reads it. */
function formatWait(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  const minutes = ms / 60_000;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
}

/**
 * The delivery circuit breaker of one environment, explained where its state shows: what the
 * state means, why it opened (the failure that did it) and when it tries again. From the
 * circuit's own numbers in the metrics answer (`circuitDetail`).
 */
export function CircuitNote({
  circuit,
  environment,
  nowMs,
}: {
  circuit: CircuitDetail;
  environment: string;
  nowMs: number;
}) {
  const label = { closed: 'Closed', open: 'Open', half_open: 'Half-open' }[circuit.state];
  const tone = circuit.state === 'closed' ? 'ok' : circuit.state === 'open' ? 'bad' : 'warn';
  return (
    <div className={`circuit-note ${tone}`} role="group" aria-label={`Circuit in ${environment}`}>
      <p className="circuit-state">
        <span className={`pill ${tone}`}>Circuit {label.toLowerCase()}</span>
      </p>
      {circuit.state === 'closed' && (
        <p>
          Deliveries flow normally. After {circuit.failureThreshold} failed attempts in a row (5xx,
          429, timeouts, refused or reset connections) the circuit opens and holds deliveries in{' '}
          {environment} for {formatWait(circuit.openForMs)} without spending their attempts.
          {circuit.consecutiveFailures > 0 &&
            ` ${circuit.consecutiveFailures} of ${circuit.failureThreshold} so far.`}
        </p>
      )}
      {circuit.state === 'open' && (
        <p>
          Opened <Time value={circuit.openedAt} /> after {circuit.failureThreshold} failed attempts
          in a row
          {circuit.openedBy && (
            <>
              {' '}
              (the last: <code>{circuit.openedBy}</code>)
            </>
          )}
          . Deliveries in {environment} are held, their attempts not spent.{' '}
          {circuit.retryAt && (
            <>
              One probe delivery goes <Time value={circuit.retryAt} />
              {Date.parse(circuit.retryAt) > nowMs &&
                ` (in ${formatWait(Date.parse(circuit.retryAt) - nowMs)})`}
              : if it succeeds the circuit closes, if not it stays open twice as long.
            </>
          )}
        </p>
      )}
      {circuit.state === 'half_open' && (
        <p>
          Trying again: one probe delivery is let through
          {circuit.openedBy && (
            <>
              {' '}
              (it opened on <code>{circuit.openedBy}</code>)
            </>
          )}
          ; the others wait. If the probe succeeds the circuit closes, if not it opens again for{' '}
          {formatWait(circuit.openForMs * 2)}.
        </p>
      )}
      <p className="circuit-scope">Invoke and Test Connection calls are never held.</p>
    </div>
  );
}
