import { Link } from 'react-router';
import type { LifecycleNotice } from './lifecycle.ts';

/**
 * The outcome of the last lifecycle action in a section: a polite status for what went right
 * or waits for approval (with the way to Approvals), an alert for a refusal.
 */
export function NoticeLine({ notice }: { notice: LifecycleNotice | null }) {
  return (
    <>
      <p className="status-line" role="status" aria-live="polite">
        {notice && notice.tone !== 'error' && (
          <span className={`banner ${notice.tone} cx-notice`} data-tone={notice.tone}>
            {notice.tone === 'success' && <span aria-hidden="true">✓ </span>}
            {notice.text}
            {notice.approvalId && (
              <>
                {' '}
                <Link to="/approvals">Open Approvals</Link>
              </>
            )}
          </span>
        )}
      </p>
      {notice?.tone === 'error' && (
        <p className="banner error" role="alert">
          {notice.text}
        </p>
      )}
    </>
  );
}
