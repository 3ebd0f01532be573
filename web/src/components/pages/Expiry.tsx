import { formatDateTime } from './Time.tsx';

/** Keep in step with certificateExpiryWarningDays in src/contracts/certificates.ts. */
export const expiryWarningDays = 30;
const dayMs = 86_400_000;

const days = (count: number) => `${count} ${count === 1 ? 'day' : 'days'}`;

/** Whether a certificate that ends at `notAfter` is fine, expires within 30 days, or expired. */
export function expiryState(notAfter: string, now = Date.now()): 'fine' | 'soon' | 'expired' {
  const left = Date.parse(notAfter) - now;
  return left <= 0 ? 'expired' : left < expiryWarningDays * dayMs ? 'soon' : 'fine';
}

/**
 * When a certificate ends: the date, and in words how long is left; expiring within 30 days
 * is marked (colour and text), expired more so.
 */
export function Expiry({ notAfter, now = Date.now() }: { notAfter: string; now?: number }) {
  const state = expiryState(notAfter, now);
  const left = Date.parse(notAfter) - now;
  const words =
    state === 'expired'
      ? left > -dayMs
        ? '⚠ expired today'
        : `⚠ expired ${days(Math.floor(-left / dayMs))} ago`
      : state === 'soon'
        ? `⚠ expires in ${days(Math.floor(left / dayMs))}`
        : `in ${days(Math.floor(left / dayMs))}`;
  return (
    <span className={`expiry ${state}`} data-expiry={state}>
      <time dateTime={notAfter} title={notAfter}>
        {formatDateTime(notAfter)}
      </time>
      <span className="expiry-words">{words}</span>
    </span>
  );
}
