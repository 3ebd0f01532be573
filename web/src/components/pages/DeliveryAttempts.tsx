import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { DeliveryDetail } from '../../../../src/contracts/deliveries.ts';
import { get } from '../../api/client.ts';
import { ErrorNote } from '../ErrorNote.tsx';
import { SentRequest } from './SentRequest.tsx';
import { formatMs, Time } from './Time.tsx';

/** A delivery in these states changes by itself: its view asks again until it does not. */
const unfinished = new Set(['pending', 'in_flight']);
/** how often an unfinished delivery is read again: a try ends within about a second locally */
const refreshMs = 1000;

/**
 * One delivery's attempts (GET /deliveries/{id}): outcome, status, time, the request as sent
 * (with Copy as curl) next to what came back. While the delivery is pending or in flight it
 * is read again every second, so a replayed one turns succeeded or failed without a reload.
 */
export function DeliveryAttempts({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: ['delivery', id],
    queryFn: () => get<DeliveryDetail>(`/deliveries/${id}`),
    refetchInterval: (query) =>
      query.state.data && unfinished.has(query.state.data.status) ? refreshMs : false,
  });
  // when it moves on (a replay queued it, an attempt ended), the lists that show its status
  // and attempts are stale: read them again
  const progress = detail.data && `${detail.data.status}/${detail.data.attempts}`;
  const seen = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (progress === undefined) return;
    if (seen.current !== undefined && seen.current !== progress) {
      void queryClient.invalidateQueries({ queryKey: ['deliveries'] });
    }
    seen.current = progress;
  }, [progress, queryClient]);
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
              {(attempt.request || attempt.response) && (
                <div className="exchange">
                  {attempt.request && (
                    <details className="request">
                      <summary>
                        Request
                        {attempt.request.truncated ? ' (first 2 KiB)' : ''}
                      </summary>
                      <SentRequest
                        request={attempt.request}
                        label={`attempt ${attempt.number}`}
                        truncated={attempt.request.truncated}
                      />
                    </details>
                  )}
                  {attempt.response && (
                    <details className="response">
                      <summary>
                        Response{attempt.response.truncated ? ' (first 2 KiB)' : ''}
                      </summary>
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
                </div>
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
