// Signing (Standard Webhooks or HMAC-SHA256, the key a secret reference) and TLS (verify, extra
// CA certificates, a client key store) of one environment.
import { Link } from 'react-router';
import type { EnvironmentKind } from '../../../../src/contracts/environments.ts';
import type { EnvironmentDraft, SigningScheme } from './draft.ts';
import { defaultSigningHeader } from './draft.ts';
import { NewSecretButton } from './CreateReference.tsx';
import { FieldError, useFieldProps } from './Field.tsx';
import { useCertificates, useKeyStores, useSecrets } from './catalog.ts';
import { Checkbox } from './SettingsControls.tsx';

type Change = (patch: Partial<EnvironmentDraft>) => void;

export function SigningFields({
  base,
  draft,
  onChange,
  readOnly,
}: {
  base: string;
  draft: EnvironmentDraft;
  onChange: Change;
  readOnly: boolean;
}) {
  const secrets = useSecrets(draft.signingScheme !== 'none');
  const scheme = useFieldProps(`${base}.signing.scheme`, `${base}.signing:hint`);
  const secret = useFieldProps(`${base}.signing.secret`);
  const header = useFieldProps(`${base}.signing.header`);
  const references = (secrets.data?.items ?? []).map((s) => `{{secret.${s.name}}}`);
  if (draft.signingSecret && !references.includes(draft.signingSecret)) {
    references.unshift(draft.signingSecret);
  }
  return (
    <fieldset className="ed-group">
      <legend>Signing</legend>
      <div className="field">
        <label htmlFor={scheme.id}>Signature</label>
        <select
          {...scheme}
          value={draft.signingScheme}
          disabled={readOnly}
          onChange={(event) => onChange({ signingScheme: event.target.value as SigningScheme })}
        >
          <option value="none">None</option>
          <option value="standard-webhooks">
            Standard Webhooks (webhook-id, -timestamp, -signature)
          </option>
          <option value="hmac-sha256">HMAC-SHA256 of the body, in a header</option>
        </select>
        <p className="hint" id={`${base}.signing:hint`}>
          The bytes signed are the bytes sent; the receiver checks them with the same key.
        </p>
      </div>
      {draft.signingScheme !== 'none' && (
        <div className="ed-pair">
          <div className="field">
            <label htmlFor={secret.id}>Signing secret</label>
            {references.length > 0 ? (
              <select
                {...secret}
                value={draft.signingSecret}
                disabled={readOnly}
                onChange={(event) => onChange({ signingSecret: event.target.value })}
              >
                <option value="">Choose a secret…</option>
                {references.map((reference) => (
                  <option key={reference} value={reference}>
                    {reference}
                  </option>
                ))}
              </select>
            ) : (
              <p className="hint" id={secret.id} tabIndex={-1}>
                {secrets.isPending ? 'Loading secrets…' : 'No secrets yet: create one for the key.'}
              </p>
            )}
            {!readOnly && (
              <NewSecretButton
                purpose="the signing key"
                onCreated={(name) => onChange({ signingSecret: `{{secret.${name}}}` })}
              />
            )}
            <FieldError path={`${base}.signing.secret`} />
          </div>
          {draft.signingScheme === 'hmac-sha256' && (
            <div className="field">
              <label htmlFor={header.id}>Signature header</label>
              <input
                {...header}
                value={draft.signingHeader}
                disabled={readOnly}
                spellCheck={false}
                placeholder={defaultSigningHeader}
                onChange={(event) => onChange({ signingHeader: event.target.value })}
              />
              <FieldError path={`${base}.signing.header`} />
            </div>
          )}
        </div>
      )}
    </fieldset>
  );
}

export function TlsFields({
  base,
  environmentName,
  kind,
  draft,
  onChange,
  readOnly,
}: {
  base: string;
  environmentName: string;
  kind: EnvironmentKind | undefined;
  draft: EnvironmentDraft;
  onChange: Change;
  readOnly: boolean;
}) {
  const certificates = useCertificates();
  const keyStores = useKeyStores();
  const keyStore = useFieldProps(`${base}.tls.keyStore`, `${base}.tls.keyStore:hint`);
  const production = kind === 'production';
  const certificateNames = (certificates.data?.items ?? []).map((c) => c.name);
  for (const name of draft.caCertificates) {
    if (!certificateNames.includes(name)) certificateNames.push(name);
  }
  const keyStoreNames = (keyStores.data?.items ?? []).map((k) => k.name);
  if (draft.keyStore && !keyStoreNames.includes(draft.keyStore)) keyStoreNames.push(draft.keyStore);
  const caPath = `${base}.tls.caCertificates`;
  const caProps = useFieldProps(caPath);

  return (
    <fieldset className="ed-group">
      <legend>TLS</legend>
      <Checkbox
        path={`${base}.tls.verify`}
        label="Verify the target's certificate"
        hint={
          production
            ? `Always on in ${environmentName}: verification cannot be turned off in a production environment.`
            : 'Off only for a self-signed target in development; prefer adding its CA below.'
        }
        checked={draft.tlsVerify}
        disabled={readOnly || (production && draft.tlsVerify)}
        onChange={(tlsVerify) => onChange({ tlsVerify })}
      />
      <fieldset
        className="ed-subgroup"
        id={caProps.id}
        aria-describedby={caProps['aria-describedby']}
      >
        <legend>Extra CA certificates</legend>
        {certificateNames.length === 0 ? (
          <p className="hint">
            {certificates.isPending ? 'Loading…' : 'None stored: the public roots are trusted. '}
            <Link to="/certificates">Manage certificates</Link>
          </p>
        ) : (
          <ul className="ed-checklist">
            {certificateNames.map((name) => {
              const id = `${caPath}:${name}`;
              return (
                <li key={name}>
                  <input
                    id={id}
                    type="checkbox"
                    checked={draft.caCertificates.includes(name)}
                    disabled={readOnly}
                    onChange={(event) =>
                      onChange({
                        caCertificates: event.target.checked
                          ? [...draft.caCertificates, name]
                          : draft.caCertificates.filter((n) => n !== name),
                      })
                    }
                  />
                  <label htmlFor={id}>{name}</label>
                </li>
              );
            })}
          </ul>
        )}
        <FieldError path={caPath} />
      </fieldset>
      <div className="field">
        <label htmlFor={keyStore.id}>Client key store (mutual TLS)</label>
        <select
          {...keyStore}
          value={draft.keyStore}
          disabled={readOnly}
          onChange={(event) => onChange({ keyStore: event.target.value })}
        >
          <option value="">None</option>
          {keyStoreNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <p className="hint" id={`${base}.tls.keyStore:hint`}>
          The client certificate and key sent when the target asks for one.
        </p>
        <FieldError path={`${base}.tls.keyStore`} />
      </div>
    </fieldset>
  );
}
