import { Fragment, useState } from 'react';
import type { KeyStore } from '../../../src/contracts/keystores.ts';
import { Menu } from '../components/Menu.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { CertificateFacts, ResourceUsages } from '../components/pages/CertificateFacts.tsx';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import { Expiry } from '../components/pages/Expiry.tsx';
import { KeyStoreDialog, type KeyStoreEditing } from '../components/pages/KeyStoreDialog.tsx';
import { DeleteResourceDialog } from '../components/pages/DeleteResourceDialog.tsx';
import { EmptyNext, NameSearch } from '../components/pages/namedResources.tsx';
import { StatusLine, useStatus } from '../components/pages/StatusLine.tsx';
import { useCan } from '../session.tsx';
import '../pages.css';

export function KeyStoresPage() {
  const canEdit = useCan('editor');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const [editing, setEditing] = useState<KeyStoreEditing>(null);
  const [deleting, setDeleting] = useState<KeyStore | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const { said, say, fail } = useStatus();
  const { list, rows } = useCursorList<KeyStore>(['keystores'], '/keystores', {
    q: q || undefined,
    limit: 100,
  });

  return (
    <section className="page">
      <div className="page-head">
        <h1>Key stores</h1>
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
        Client certificates with their private keys, for servers that ask for mutual TLS: choose one
        under TLS in the connection&apos;s settings. The key is stored sealed and never shown again;
        those expiring within 30 days are marked.
      </p>
      <NameSearch id="keystores-search" value={search} onChange={setSearch} />
      <StatusLine said={said} />
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Key stores" aria-busy={list.isFetching}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Format</th>
                <th scope="col">Subject</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((keyStore) => {
                const isOpen = open === keyStore.id;
                return (
                  <Fragment key={keyStore.id}>
                    <tr data-keystore={keyStore.name}>
                      <th scope="row">
                        <button
                          type="button"
                          className="link-button"
                          aria-expanded={isOpen}
                          onClick={() => setOpen(isOpen ? null : keyStore.id)}
                        >
                          <span aria-hidden="true">{isOpen ? '▾' : '▸'} </span>
                          {keyStore.name}
                        </button>
                        {keyStore.description && (
                          <span className="row-note">{keyStore.description}</span>
                        )}
                      </th>
                      <td>{keyStore.format === 'pkcs12' ? 'PKCS#12' : 'PEM'}</td>
                      <td className="break">{keyStore.subject}</td>
                      <td>
                        <Expiry notAfter={keyStore.notAfter} />
                      </td>
                      <td className="actions">
                        <Menu
                          label={`Actions for ${keyStore.name}`}
                          items={[
                            {
                              label: 'Replace',
                              disabled: !canEdit,
                              onSelect: () => setEditing({ mode: 'replace', keyStore }),
                            },
                            {
                              label: 'Delete',
                              danger: true,
                              disabled: !canEdit,
                              onSelect: () => setDeleting(keyStore),
                            },
                          ]}
                        />
                      </td>
                    </tr>
                    {isOpen && (
                      <tr className="detail-row">
                        <td colSpan={5}>
                          <CertificateFacts certificate={keyStore} />
                          {keyStore.passphrase && (
                            <p>
                              Passphrase from <code>{keyStore.passphrase}</code>
                            </p>
                          )}
                          {keyStore.chain.length > 0 && (
                            <>
                              <h3 className="mini-head">Chain</h3>
                              <ul className="plain-list">
                                {keyStore.chain.map((c) => (
                                  <li key={c.fingerprintSha256}>
                                    {c.subject} <Expiry notAfter={c.notAfter} />
                                  </li>
                                ))}
                              </ul>
                            </>
                          )}
                          <h3 className="mini-head">Used by</h3>
                          <ResourceUsages path={`/keystores/${keyStore.id}/usages`} />
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
            `No key store's name contains "${q}".`
          ) : (
            <EmptyNext
              action={canEdit ? 'Upload a key store' : undefined}
              onAction={() => setEditing({ mode: 'create' })}
            >
              No key stores yet. When a server asks for a client certificate (mutual TLS), upload it
              with its key (PEM or PKCS#12), then choose it under TLS in the connection&apos;s
              settings.
            </EmptyNext>
          )
        }
      />
      {editing && (
        <KeyStoreDialog
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={(keyStore) => {
            setEditing(null);
            const warnings = keyStore.warnings?.map((warning) => warning.message) ?? [];
            if (warnings.length > 0) {
              fail(new Error(`Saved ${keyStore.name}, but: ${warnings.join('; ')}`));
            } else say(`Saved key store ${keyStore.name}.`);
          }}
        />
      )}
      {deleting && (
        <DeleteResourceDialog
          collection="keystores"
          what="key store"
          item={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            say(`Deleted key store ${deleting.name}.`);
            setDeleting(null);
          }}
          consequence={<p>No connection uses it. The certificate and its key go with it.</p>}
          howToStop={
            <>
              Choose another client key store (or none) under TLS in these connections and save;
              where an environment still runs a revision that uses it, deploy the new revision there
              (or undeploy). To renew it, replace it instead.
            </>
          }
        />
      )}
    </section>
  );
}
