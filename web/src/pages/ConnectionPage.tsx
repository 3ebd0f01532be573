import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { AuditRecord } from '../../../src/contracts/audit.ts';
import type { Connection } from '../../../src/contracts/connections.ts';
import type { Delivery } from '../../../src/contracts/deliveries.ts';
import { get } from '../api/client.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { AuditTable } from '../components/pages/AuditTable.tsx';
import { CallItSection } from '../components/pages/connection/CallItSection.tsx';
import { ConnectionActions } from '../components/pages/connection/ConnectionActions.tsx';
import { DeploymentsSection } from '../components/pages/connection/DeploymentsSection.tsx';
import { MetricsSection } from '../components/pages/connection/MetricsSection.tsx';
import { RevisionsSection } from '../components/pages/connection/RevisionsSection.tsx';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import { DeliveriesTable } from '../components/pages/DeliveriesTable.tsx';
import { StatusLine, useStatus } from '../components/pages/StatusLine.tsx';
import { Time } from '../components/pages/Time.tsx';
import { useCan } from '../session.tsx';
import '../pages.css';

/** One connection: its state, deployments, metrics, revisions, deliveries and audit trail. */
export function ConnectionPage() {
  const { id = '' } = useParams();
  const connection = useQuery({
    queryKey: ['connections', 'one', id],
    queryFn: () => get<Connection>(`/connections/${encodeURIComponent(id)}`),
  });

  if (connection.error) {
    return (
      <section className="page">
        <h1>Connection</h1>
        <ErrorNote error={connection.error} />
        <Link to="/connections">Back to the connections</Link>
      </section>
    );
  }
  if (!connection.data) {
    return (
      <section className="page">
        <h1>Connection</h1>
        <p className="loading" aria-live="polite">
          Loading…
        </p>
      </section>
    );
  }
  const c = connection.data;
  return (
    <section className="page">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/connections">Connections</Link> <span aria-hidden="true">›</span> {c.name}
      </nav>
      <div className="page-head">
        <div className="title-block">
          <h1>
            {c.name}
            {c.critical && <span className="badge critical">critical</span>}
            {c.global && <span className="badge">Global</span>}
          </h1>
          <p className="subtitle">
            {c.enabled ? (
              <span className="state on">Enabled</span>
            ) : (
              <span className="state off">Disabled</span>
            )}{' '}
            · {c.global ? 'global' : `project ${c.project}`} · revision {c.revision} · changed by{' '}
            {c.updatedBy} <Time value={c.updatedAt} />
          </p>
          {c.description && <p className="description">{c.description}</p>}
        </div>
        <ConnectionActions connection={c} />
      </div>
      <nav className="jump" aria-label="On this page">
        <a href="#deployments">Deployments</a>
        <a href="#metrics">Metrics</a>
        <a href="#revisions">Revisions</a>
        <a href="#deliveries">Deliveries</a>
        <a href="#audit">Audit trail</a>
      </nav>
      <DeploymentsSection connection={c} />
      <CallItSection connection={c} />
      <MetricsSection connectionId={c.id} />
      <RevisionsSection connection={c} />
      <RecentDeliveries connection={c} />
      <AuditTrail connection={c} />
    </section>
  );
}

function RecentDeliveries({ connection }: { connection: Connection }) {
  const canReplay = useCan('editor');
  const { said, say, fail } = useStatus();
  const { list, rows } = useCursorList<Delivery>(['deliveries'], '/deliveries', {
    connection: connection.id,
    limit: 10,
  });
  return (
    <section className="panel" aria-labelledby="deliveries-head" id="deliveries">
      <div className="section-head">
        <h2 id="deliveries-head">Recent deliveries</h2>
        <Link to={`/deliveries?connection=${connection.id}`}>
          All deliveries of {connection.name}
        </Link>
      </div>
      <StatusLine said={said} />
      {rows.length > 0 && (
        <DeliveriesTable
          rows={rows}
          label="Recent deliveries"
          showConnection={false}
          canReplay={canReplay}
          busy={list.isFetching}
          onDone={say}
          onError={fail}
        />
      )}
      <ListFooter list={list} count={rows.length} empty="No deliveries yet." />
    </section>
  );
}

function AuditTrail({ connection }: { connection: Connection }) {
  const { list, rows } = useCursorList<AuditRecord>(['audit'], '/audit', {
    targetType: 'connection',
    targetId: connection.id,
    limit: 20,
  });
  return (
    <section className="panel" aria-labelledby="audit-head" id="audit">
      <h2 id="audit-head">Audit trail</h2>
      {rows.length > 0 && (
        <AuditTable rows={rows} label="Audit trail" busy={list.isFetching} showTarget={false} />
      )}
      <ListFooter list={list} count={rows.length} empty="Nothing recorded." />
    </section>
  );
}
