// What Test Connection answered: green with the status, or red with the outcome code and the
// hint; the timings as a bar (DNS, connect, TLS, first byte, total); the TLS peer and response.
import type { TestResult as Result } from '../../../../src/contracts/invoke.ts';

const phases = [
  { key: 'dnsMs', label: 'DNS' },
  { key: 'connectMs', label: 'Connect' },
  { key: 'tlsMs', label: 'TLS' },
  { key: 'firstByteMs', label: 'First byte' },
] as const;

function ms(value: number | null): string {
  if (value === null) return '—';
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function Timings({ timings }: { timings: Result['timings'] }) {
  // first byte counts from the start of the exchange, which includes a new connection's DNS,
  // connect and TLS when the pool had to open one: the bar shows what is left of it after
  // those (the target's wait), then the rest of the total (reading the body, retries)
  const setUp = (timings.dnsMs ?? 0) + (timings.connectMs ?? 0) + (timings.tlsMs ?? 0);
  const firstByte = timings.firstByteMs ?? 0;
  const widths: Record<(typeof phases)[number]['key'] | 'rest', number> = {
    dnsMs: timings.dnsMs ?? 0,
    connectMs: timings.connectMs ?? 0,
    tlsMs: timings.tlsMs ?? 0,
    firstByteMs: firstByte >= setUp ? firstByte - setUp : firstByte,
    rest: 0,
  };
  const used = setUp + widths.firstByteMs;
  widths.rest = Math.max(timings.totalMs - used, 0);
  const scale = Math.max(timings.totalMs, used, 0.001);
  return (
    <div className="ed-timings">
      <div className="ed-timing-bar" aria-hidden="true">
        {[...phases.map((p) => p.key), 'rest' as const].map((key) =>
          widths[key] > 0 ? (
            <span
              key={key}
              className={`ed-seg ${key}`}
              style={{ width: `${(widths[key] / scale) * 100}%` }}
            />
          ) : null,
        )}
      </div>
      <dl className="ed-timing-legend" aria-label="Timings">
        {phases.map((p) => (
          <div key={p.key}>
            <dt>
              <span className={`ed-swatch ${p.key}`} aria-hidden="true" />
              {p.label}
            </dt>
            <dd>{ms(timings[p.key])}</dd>
          </div>
        ))}
        <div className="ed-total">
          <dt>
            <span className="ed-swatch rest" aria-hidden="true" />
            Total
          </dt>
          <dd>{ms(timings.totalMs)}</dd>
        </div>
      </dl>
      <p className="hint">
        — : not measured (no DNS lookup for an IP address, no TLS for http://).
      </p>
    </div>
  );
}

export function TestResultPanel({
  result,
  environmentName,
  draft,
}: {
  result: Result;
  environmentName: string;
  /** the unsaved form was tested, not a saved revision */
  draft: boolean;
}) {
  const ok = result.outcome === 'OK';
  const what = draft ? 'the unsaved form' : `revision ${result.connection.revision}`;
  return (
    <section
      className={`ed-test ${ok ? 'ok' : 'bad'}`}
      aria-labelledby="test-result-title"
      data-outcome={result.outcome}
    >
      <h2 id="test-result-title">
        <span aria-hidden="true">{ok ? '✓ ' : '✗ '}</span>
        {ok ? 'Connection works' : 'Test failed'}
        {': '}
        {result.status !== null && <>HTTP {result.status}</>}
        {!ok && (
          <>
            {result.status !== null && ' · '}
            <code className="ed-outcome">{result.outcome}</code>
          </>
        )}
      </h2>
      <p className="ed-test-meta">
        {environmentName} · {what} · {result.attempts} attempt{result.attempts === 1 ? '' : 's'} ·{' '}
        <span className="mono">{result.url}</span>
      </p>
      {!ok && result.message && <p className="ed-test-message">{result.message}</p>}
      {!ok && result.hint && (
        <p className="ed-test-hint">
          <strong>What to check:</strong> {result.hint}
        </p>
      )}
      <Timings timings={result.timings} />
      {result.warnings.length > 0 && (
        <ul className="ed-warnings" aria-label="Warnings">
          {result.warnings.map((w) => (
            <li key={`${w.code}:${w.path}`}>
              <span aria-hidden="true">⚠ </span>
              {w.message}
            </li>
          ))}
        </ul>
      )}
      {result.tlsPeer && (
        <details className="ed-details">
          <summary>TLS peer certificate</summary>
          <dl className="ed-kv">
            <dt>Subject</dt>
            <dd>{result.tlsPeer.subject ?? '—'}</dd>
            <dt>Issuer</dt>
            <dd>{result.tlsPeer.issuer ?? '—'}</dd>
            <dt>Valid to</dt>
            <dd>{result.tlsPeer.validTo ?? '—'}</dd>
            <dt>Protocol</dt>
            <dd>
              {result.tlsPeer.protocol ?? '—'} {result.tlsPeer.cipher ?? ''}
            </dd>
            <dt>Trusted</dt>
            <dd>
              {result.tlsPeer.authorized
                ? 'yes'
                : `no: ${result.tlsPeer.authorizationError ?? 'not authorized'}`}
            </dd>
          </dl>
        </details>
      )}
      {result.status !== null && (
        <details className="ed-details">
          <summary>
            Response ({result.sizeBytes} bytes{result.truncated ? ', truncated' : ''})
          </summary>
          <dl className="ed-kv">
            {Object.entries(result.headers).map(([name, value]) => (
              <div key={name} className="ed-kv-row">
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {result.body && (
            <pre className="ed-body">
              {result.bodyEncoding === 'base64' ? '(binary, base64) ' : ''}
              {result.body.slice(0, 4000)}
            </pre>
          )}
        </details>
      )}
    </section>
  );
}
