import { useQuery } from '@tanstack/react-query';
import type { CertificateSummary } from '../../../../src/contracts/certificates.ts';
import type { Usage } from '../../../../src/contracts/usages.ts';
import { get } from '../../api/client.ts';
import { ErrorNote } from '../ErrorNote.tsx';
import { UsageList } from './DeleteResourceDialog.tsx';
import { Expiry } from './Expiry.tsx';
import { formatDateTime } from './Time.tsx';

/** Everything public one X.509 certificate says about itself. */
export function CertificateFacts({ certificate }: { certificate: CertificateSummary }) {
  return (
    <dl className="facts wide">
      <div>
        <dt>Subject</dt>
        <dd>{certificate.subject}</dd>
      </div>
      <div>
        <dt>Issuer</dt>
        <dd>{certificate.issuer}</dd>
      </div>
      {certificate.subjectAltNames.length > 0 && (
        <div>
          <dt>Alternative names</dt>
          <dd>{certificate.subjectAltNames.join(', ')}</dd>
        </div>
      )}
      <div>
        <dt>Valid</dt>
        <dd>
          {formatDateTime(certificate.notBefore)} to <Expiry notAfter={certificate.notAfter} />
        </dd>
      </div>
      <div>
        <dt>Key</dt>
        <dd>
          {certificate.keyAlgorithm}
          {certificate.isCA ? ' · CA' : ''}
        </dd>
      </div>
      <div>
        <dt>Serial</dt>
        <dd className="mono break">{certificate.serialNumber}</dd>
      </div>
      <div>
        <dt>SHA-256</dt>
        <dd className="mono break">{certificate.fingerprintSha256}</dd>
      </div>
    </dl>
  );
}

/**
 * Which connections use a certificate or key store (`…/usages`): each a link to its page,
 * with the environments where it does.
 */
export function ResourceUsages({ path }: { path: string }) {
  const usages = useQuery({
    queryKey: ['usages', path],
    queryFn: () => get<{ items: Usage[] }>(path),
  });
  if (usages.error) return <ErrorNote error={usages.error} />;
  if (!usages.data) return <p className="loading">Loading where it is used…</p>;
  if (usages.data.items.length === 0) return <p className="muted">No connection uses it.</p>;
  return <UsageList usages={usages.data.items} />;
}
