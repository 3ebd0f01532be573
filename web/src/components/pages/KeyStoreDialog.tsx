import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type {
  KeyStore,
  KeyStoreFormat,
  KeyStoreIn,
  KeyStoreReplace,
} from '../../../../src/contracts/keystores.ts';
import { api } from '../../api/client.ts';
import { Dialog } from '../Dialog.tsx';
import { ProblemNote } from './ProblemNote.tsx';
import { readFileBase64, readFileText } from './readFile.ts';

export type KeyStoreEditing = { mode: 'create' } | { mode: 'replace'; keyStore: KeyStore } | null;

/**
 * Upload or replace. Files are read in the browser (PEM as text, PKCS#12 as base64); the key
 * and the PKCS#12 are held in a ref until sent, never shown.
 */
export function KeyStoreDialog({
  editing,
  onClose,
  onSaved,
}: {
  editing: NonNullable<KeyStoreEditing>;
  onClose(): void;
  onSaved(keyStore: KeyStore): void;
}) {
  const queryClient = useQueryClient();
  const was = editing.mode === 'replace' ? editing.keyStore : undefined;
  const [name, setName] = useState('');
  const [description, setDescription] = useState(was?.description ?? '');
  const [format, setFormat] = useState<KeyStoreFormat>(was?.format ?? 'pem');
  const [certificatePem, setCertificatePem] = useState('');
  const [passphrase, setPassphrase] = useState(was?.passphrase ?? '');
  const [readNote, setReadNote] = useState<{ key?: string; p12?: string }>({});
  const [readError, setReadError] = useState<string | null>(null);
  const privateKey = useRef('');
  const pkcs12 = useRef('');

  async function read(event: ChangeEvent<HTMLInputElement>, what: 'cert' | 'key' | 'p12') {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      if (what === 'cert') setCertificatePem(await readFileText(file));
      if (what === 'key') {
        privateKey.current = await readFileText(file);
        setReadNote((was) => ({ ...was, key: `${file.name} read (${file.size} bytes)` }));
      }
      if (what === 'p12') {
        pkcs12.current = await readFileBase64(file);
        setReadNote((was) => ({ ...was, p12: `${file.name} read (${file.size} bytes)` }));
      }
      setReadError(null);
    } catch (error) {
      setReadError(`Could not read ${file.name}: ${(error as Error).message}`);
    }
  }

  const save = useMutation({
    mutationFn: () => {
      const reference = passphrase.trim() || undefined;
      const content =
        format === 'pem'
          ? {
              format: 'pem' as const,
              certificatePem,
              privateKeyPem: privateKey.current,
              passphrase: reference,
            }
          : {
              format: 'pkcs12' as const,
              pkcs12Base64: pkcs12.current,
              passphrase: reference ?? '',
            };
      if (was) {
        const body: KeyStoreReplace = { description, ...content };
        return api<KeyStore>('PUT', `/keystores/${was.id}`, { body });
      }
      const body: KeyStoreIn = { name: name.trim(), description, ...content };
      return api<KeyStore>('POST', '/keystores', { body });
    },
    onSuccess: async (keyStore) => {
      await queryClient.invalidateQueries({ queryKey: ['keystores'] });
      onSaved(keyStore);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <Dialog title={was ? `Replace key store ${was.name}` : 'Upload a key store'} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        {!was && (
          <div className="field">
            <label htmlFor="keystore-name">Name</label>
            <input
              id="keystore-name"
              required
              maxLength={100}
              pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor="keystore-description">Description</label>
          <input
            id="keystore-description"
            maxLength={1000}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
        <fieldset className="fieldset">
          <legend>Format</legend>
          <label className="check" htmlFor="keystore-format-pem">
            <input
              id="keystore-format-pem"
              type="radio"
              name="format"
              checked={format === 'pem'}
              onChange={() => setFormat('pem')}
            />
            PEM: certificate and private key files
          </label>
          <label className="check" htmlFor="keystore-format-pkcs12">
            <input
              id="keystore-format-pkcs12"
              type="radio"
              name="format"
              checked={format === 'pkcs12'}
              onChange={() => setFormat('pkcs12')}
            />
            PKCS#12 (.p12 / .pfx)
          </label>
        </fieldset>
        {format === 'pem' ? (
          <>
            <div className="field">
              <label htmlFor="keystore-cert-file">Certificate file (PEM)</label>
              <input
                id="keystore-cert-file"
                type="file"
                accept=".pem,.crt,.cer,.txt"
                onChange={(event) => void read(event, 'cert')}
              />
            </div>
            <div className="field">
              <label htmlFor="keystore-cert-pem">Certificate PEM text</label>
              <textarea
                id="keystore-cert-pem"
                required
                rows={4}
                className="mono"
                placeholder="-----BEGIN CERTIFICATE-----"
                value={certificatePem}
                onChange={(event) => setCertificatePem(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="keystore-key-file">Private key file (PEM)</label>
              <input
                id="keystore-key-file"
                type="file"
                required
                accept=".pem,.key,.txt"
                aria-describedby="keystore-key-hint"
                onChange={(event) => void read(event, 'key')}
              />
              <p className="hint" id="keystore-key-hint">
                {readNote.key ?? 'PKCS#8, PKCS#1 or SEC1; it is never shown.'}
              </p>
            </div>
          </>
        ) : (
          <div className="field">
            <label htmlFor="keystore-p12-file">PKCS#12 file</label>
            <input
              id="keystore-p12-file"
              type="file"
              required
              accept=".p12,.pfx"
              aria-describedby="keystore-p12-hint"
              onChange={(event) => void read(event, 'p12')}
            />
            <p className="hint" id="keystore-p12-hint">
              {readNote.p12 ?? 'At most 64 KiB.'}
            </p>
          </div>
        )}
        {readError && (
          <p className="field-error" role="alert">
            {readError}
          </p>
        )}
        <div className="field">
          <label htmlFor="keystore-passphrase">Passphrase secret</label>
          <input
            id="keystore-passphrase"
            className="mono"
            required={format === 'pkcs12'}
            placeholder="{{secret.CLIENT_KEY_PASSPHRASE}}"
            value={passphrase}
            aria-describedby="keystore-passphrase-hint"
            onChange={(event) => setPassphrase(event.target.value)}
          />
          <p className="hint" id="keystore-passphrase-hint">
            A <code>{'{{secret.NAME}}'}</code> reference to the secret holding the passphrase (never
            the passphrase itself){format === 'pem' ? '; only for an encrypted key' : ''}. Store the
            passphrase on the Secrets page first.
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
