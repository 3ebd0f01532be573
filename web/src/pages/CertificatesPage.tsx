import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState, type ChangeEvent, type FormEvent } from 'react';
import type {
  Certificate,
  CertificateIn,
  CertificateReplace,
} from '../../../src/contracts/certificates.ts';
import { api } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { Menu } from '../components/Menu.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { CertificateFacts, ResourceUsages } from '../components/pages/CertificateFacts.tsx';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import { Expiry } from '../components/pages/Expiry.tsx';
import { ProblemNote } from '../components/pages/ProblemNote.tsx';
import { readFileText } from '../components/pages/readFile.ts';
import { DeleteResourceDialog } from '../components/pages/DeleteResourceDialog.tsx';
import { EmptyNext, NameSearch } from '../components/pages/namedResources.tsx';
import { StatusLine, useStatus } from '../components/pages/StatusLine.tsx';
import { useCan } from '../session.tsx';
import '../pages.css';

type Editing = { mode: 'create' } | { mode: 'replace'; certificate: Certificate } | null;

export function CertificatesPage() {
  const canEdit = useCan('editor');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Certificate | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const { said, say, fail } = useStatus();
  const { list, rows } = useCursorList<Certificate>(['certificates'], '/certificates', {
    q: q || undefined,
    limit: 100,
  });

  return (
    <section className="page">
      <div className="page-head">
        <h1>Certificates</h1>
        {canEdit && (
          <button
            type="button"
            className="button primary"
            onClick={() => setEditing({ mode: 'create' })}
          >
            + Upload
          </button>
        )}
      </div>
      <p className="hint page-hint">
        CA certificates (PEM) a connection trusts besides the public roots, for servers whose
        certificate a private or internal CA issued: choose them under TLS in the connection&apos;s
        settings. Those expiring within 30 days are marked.
      </p>
      <NameSearch id="certificates-search" value={search} onChange={setSearch} />
      <StatusLine said={said} />
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Certificates" aria-busy={list.isFetching}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Subject</th>
                <th scope="col">Expires</th>
                <th scope="col">Certificates</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((certificate) => {
                const isOpen = open === certificate.id;
                const soonest = certificate.certificates.reduce(
                  (min, c) => (c.notAfter < min ? c.notAfter : min),
                  certificate.notAfter,
                );
                return (
                  <Fragment key={certificate.id}>
                    <tr data-certificate={certificate.name}>
                      <th scope="row">
                        <button
                          type="button"
                          className="link-button"
                          aria-expanded={isOpen}
                          onClick={() => setOpen(isOpen ? null : certificate.id)}
                        >
                          <span aria-hidden="true">{isOpen ? '▾' : '▸'} </span>
                          {certificate.name}
                        </button>
                        {certificate.description && (
                          <span className="row-note">{certificate.description}</span>
                        )}
                      </th>
                      <td className="break">{certificate.subject}</td>
                      <td>
                        <Expiry notAfter={soonest} />
                      </td>
                      <td className="num">{certificate.certificates.length}</td>
                      <td className="actions">
                        <Menu
                          label={`Actions for ${certificate.name}`}
                          items={[
                            {
                              label: 'Replace',
                              disabled: !canEdit,
                              onSelect: () => setEditing({ mode: 'replace', certificate }),
                            },
                            {
                              label: 'Delete',
                              danger: true,
                              disabled: !canEdit,
                              onSelect: () => setDeleting(certificate),
                            },
                          ]}
                        />
                      </td>
                    </tr>
                    {isOpen && (
                      <tr className="detail-row">
                        <td colSpan={5}>
                          {certificate.certificates.map((c, index) => (
                            <section key={c.fingerprintSha256} className="sub-panel">
                              <h3 className="mini-head">
                                Certificate {index + 1} of {certificate.certificates.length}
                              </h3>
                              <CertificateFacts certificate={c} />
                            </section>
                          ))}
                          <h3 className="mini-head">Used by</h3>
                          <ResourceUsages path={`/certificates/${certificate.id}/usages`} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ListFooter
        list={list}
        count={rows.length}
        empty={
          q ? (
            `No certificate's name contains "${q}".`
          ) : (
            <EmptyNext
              action={canEdit ? 'Upload a certificate' : undefined}
              onAction={() => setEditing({ mode: 'create' })}
            >
              No certificates yet. Only a server whose certificate a private or internal CA issued
              needs one: upload that CA&apos;s certificate, then choose it under TLS in the
              connection&apos;s settings.
            </EmptyNext>
          )
        }
      />
      {editing && (
        <CertificateDialog
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={(certificate) => {
            setEditing(null);
            const warnings = certificate.warnings?.map((warning) => warning.message) ?? [];
            if (warnings.length > 0) {
              fail(new Error(`Saved ${certificate.name}, but: ${warnings.join('; ')}`));
            } else say(`Saved certificate ${certificate.name}.`);
          }}
        />
      )}
      {deleting && (
        <DeleteResourceDialog
          collection="certificates"
          what="certificate"
          item={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            say(`Deleted certificate ${deleting.name}.`);
            setDeleting(null);
          }}
          consequence={<p>No connection trusts it. Its certificates go with it.</p>}
          howToStop={
            <>
              Remove it from the extra CA certificates under TLS in these connections and save;
              where an environment still runs a revision that trusts it, deploy the new revision
              there (or undeploy). To renew it, replace it instead.
            </>
          }
        />
      )}
    </section>
  );
}

function CertificateDialog({
  editing,
  onClose,
  onSaved,
}: {
  editing: NonNullable<Editing>;
  onClose(): void;
  onSaved(certificate: Certificate): void;
}) {
  const queryClient = useQueryClient();
  const was = editing.mode === 'replace' ? editing.certificate : undefined;
  const [name, setName] = useState('');
  const [description, setDescription] = useState(was?.description ?? '');
  const [pem, setPem] = useState('');
  const [readError, setReadError] = useState<string | null>(null);

  async function readChosen(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      setPem(await readFileText(file));
      setReadError(null);
    } catch (error) {
      setReadError(`Could not read ${file.name}: ${(error as Error).message}`);
    }
  }

  const save = useMutation({
    mutationFn: () => {
      if (was) {
        const body: CertificateReplace = { description, pem };
        return api<Certificate>('PUT', `/certificates/${was.id}`, { body });
      }
      const body: CertificateIn = { name: name.trim(), description, pem };
      return api<Certificate>('POST', '/certificates', { body });
    },
    onSuccess: async (certificate) => {
      await queryClient.invalidateQueries({ queryKey: ['certificates'] });
      onSaved(certificate);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <Dialog
      title={was ? `Replace certificate ${was.name}` : 'Upload a certificate'}
      onClose={onClose}
    >
      <form className="form" onSubmit={submit}>
        {!was && (
          <div className="field">
            <label htmlFor="certificate-name">Name</label>
            <input
              id="certificate-name"
              required
              maxLength={100}
              pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor="certificate-description">Description</label>
          <input
            id="certificate-description"
            maxLength={1000}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="certificate-file">PEM file</label>
          <input
            id="certificate-file"
            type="file"
            accept=".pem,.crt,.cer,.txt,application/x-pem-file"
            onChange={(event) => void readChosen(event)}
          />
          {readError && (
            <p className="field-error" role="alert">
              {readError}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="certificate-pem">PEM text</label>
          <textarea
            id="certificate-pem"
            required
            rows={6}
            className="mono"
            placeholder="-----BEGIN CERTIFICATE-----"
            value={pem}
            aria-describedby="certificate-pem-hint"
            onChange={(event) => setPem(event.target.value)}
          />
          <p className="hint" id="certificate-pem-hint">
            Choose a file or paste: one or more <code>BEGIN CERTIFICATE</code> blocks, never a
            private key.
          </p>
        </div>
        <ProblemNote error={save.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : was ? 'Replace' : 'Upload'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
