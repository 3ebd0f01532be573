import { useQuery } from '@tanstack/react-query';
import type { DeliveryDetail } from '../../../../src/contracts/deliveries.ts';
import { get } from '../../api/client.ts';
import { ErrorNote } from '../ErrorNote.tsx';
import { formatMs, Time } from './Time.tsx';

/** One delivery's attempts (GET /deliveries/{id}): outcome, status, time, what came back. */
export function DeliveryAttempts({ id }: { id: string }) {
  const detail = useQuery({
    queryKey: ['delivery', id],
    queryFn: () => get<DeliveryDetail>(`/deliveries/${id}`),
  });
  if (detail.error) return <ErrorNote error={detail.error} />;
  if (!detail.data) return <p className="loading">Loading attempts…</p>;
  const delivery = detail.data;
  return (
    <div className="attempts">
      <dl className="facts">
        <div>
          <dt>Webhook id</dt>
          <dd className="mono">{delivery.messageId}</dd>
        </div>
        {delivery.reason && (
          <div>
            <dt>Reason</dt>
            <dd>{delivery.reason}</dd>
          </div>
        )}
        {delivery.nextAttemptAt && (
          <div>
            <dt>Next attempt</dt>
            <dd>
              <Time value={delivery.nextAttemptAt} />
            </dd>
          </div>
        )}
        <div>
          <dt>Finished</dt>
          <dd>
            <Time value={delivery.finishedAt} />
          </dd>
        </div>
      </dl>
      {delivery.attemptLog.length === 0 ? (
        <p className="empty">No attempt made yet.</p>
      ) : (
        <ol className="attempt-list" aria-label={`Attempts of ${delivery.id}`}>
          {delivery.attemptLog.map((attempt) => (
            <li key={attempt.number}>
              <span className="attempt-head">
                <strong>Attempt {attempt.number}</strong> <Time value={attempt.startedAt} />{' '}
                <Outcome code={attempt.outcome} />
                {attempt.status !== null && (
                  <span className="mono"> HTTP {attempt.status}</span>
                )}{' '}
                <span className="muted">{formatMs(attempt.durationMs)}</span>
              </span>
              {attempt.message && <span className="row-note wrap">{attempt.message}</span>}
              {attempt.response && (
                <details className="response">
                  <summary>Response{attempt.response.truncated ? ' (first 2 KiB)' : ''}</summary>
                  <pre
                    className="code-block"
                    tabIndex={0}
                    aria-label={`Response to attempt ${attempt.number}`}
                  >
                    {Object.entries(attempt.response.headers)
                      .map(([name, value]) => `${name}: ${value}`)
                      .join('\n')}
                    {'\n\n'}
                    {attempt.response.bodyEncoding === 'base64'
                      ? `(binary, base64) ${attempt.response.body}`
                      : attempt.response.body}
                  </pre>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** An outcome code, coloured by what it means and always written out. */
export function Outcome({ code }: { code: string | null }) {
  if (!code) return <span className="muted">—</span>;
  const tone = code === 'OK' ? 'ok' : /^HTTP_(4XX|AUTH|429)$/.test(code) ? 'warn' : 'bad';
  return <span className={`pill ${tone}`}>{code}</span>;
}
