import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Role, Token, TokenCreated, TokenIn } from '../../../src/contracts/access.ts';
import { api } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { CopyButton } from '../components/pages/CopyButton.tsx';
import { PasswordForm } from '../components/pages/PasswordForm.tsx';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import { ProblemNote } from '../components/pages/ProblemNote.tsx';
import { StatusLine, useStatus } from '../components/pages/StatusLine.tsx';
import { Time } from '../components/pages/Time.tsx';
import { useSession, useWho } from '../session.tsx';
import '../pages.css';

const rank: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function AccountPage() {
  const who = useWho();
  return (
    <section className="page">
      <div className="page-head">
        <h1>Your account</h1>
      </div>
      <section className="panel" aria-labelledby="me-head">
        <h2 id="me-head">Who you are</h2>
        <dl className="facts">
          <div>
            <dt>User name</dt>
            <dd>{who.user.username}</dd>
          </div>
          <div>
            <dt>Display name</dt>
            <dd>{who.user.displayName || <span className="muted">—</span>}</dd>
          </div>
          <div>
            <dt>Role</dt>
            <dd>{who.role}</dd>
          </div>
          <div>
            <dt>Last login</dt>
            <dd>
              <Time value={who.user.lastLoginAt} />
            </dd>
          </div>
          <div>
            <dt>Session ends</dt>
            <dd>
              <Time value={who.sessionExpiresAt} />
            </dd>
          </div>
        </dl>
      </section>
      <PasswordPanel />
      <TokensPanel />
    </section>
  );
}

function PasswordPanel() {
  const { refresh } = useSession();
  const { said, say } = useStatus();
  return (
    <section className="panel" aria-labelledby="password-head">
      <h2 id="password-head">Change your password</h2>
      <PasswordForm
        onChanged={async () => {
          await refresh();
          say('Password changed. Your other sessions were signed out.');
        }}
      />
      <StatusLine said={said} />
    </section>
  );
}

function TokensPanel() {
  const who = useWho();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<TokenCreated | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const { said, say, fail } = useStatus();
  const { list, rows } = useCursorList<Token>(['tokens'], '/tokens', { limit: 50 });

  const create = useMutation({
    mutationFn: () => {
      const body: TokenIn = {
        name: name.trim(),
        role: role || undefined,
        // the end of the chosen day, in the reader's zone
        expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined,
      };
      return api<TokenCreated>('POST', '/tokens', { body });
    },
    onSuccess: async (token) => {
      setCreated(token);
      setName('');
      setRole('');
      setExpires('');
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (token: Token) => api<Token>('DELETE', `/tokens/${token.id}`),
    onSuccess: async (token) => {
      say(`Revoked ${token.name}.`);
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: fail,
  });

  return (
    <section className="panel" aria-labelledby="tokens-head">
      <h2 id="tokens-head">Your API tokens</h2>
      <p className="hint">
        For the CLI and scripts: <code>HOOKLINE_TOKEN=…</code> or{' '}
        <code>Authorization: Bearer …</code>. A token acts as you, or with a narrower role.
      </p>
      {created && (
        <div className="banner success token-once" role="status">
          <p>
            <strong>Token {created.name} created.</strong> Copy it now: it is shown this once and
            cannot be read again.
          </p>
          <p className="token-value">
            <code data-testid="new-token">{created.token}</code> <CopyButton text={created.token} />
          </p>
          <button type="button" className="button small" onClick={() => setCreated(null)}>
            I have stored it
          </button>
        </div>
      )}
      <form
        className="filters"
        aria-label="Create a token"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <div className="field grow">
          <label htmlFor="token-name">Token name</label>
          <input
            id="token-name"
            required
            maxLength={100}
            placeholder="e.g. ci-deploy"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="token-role">Role</label>
          <select
            id="token-role"
            value={role}
            onChange={(event) => setRole(event.target.value as Role | '')}
          >
            <option value="">Yours ({who.user.role})</option>
            {(['viewer', 'editor', 'admin'] as const)
              .filter((option) => rank[option] < rank[who.user.role])
              .map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="token-expires">Expires</label>
          <input
            id="token-expires"
            type="date"
            min={new Date().toISOString().slice(0, 10)}
            value={expires}
            aria-describedby="token-expires-hint"
            onChange={(event) => setExpires(event.target.value)}
          />
        </div>
        <button type="submit" className="button primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
      <p className="hint" id="token-expires-hint">
        Leave the expiry empty for a token that lasts until revoked.
      </p>
      <ProblemNote error={create.error} />
      <StatusLine said={said} />
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Your tokens" aria-busy={list.isFetching}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((token) => (
                <tr key={token.id} data-token={token.name}>
                  <th scope="row">{token.name}</th>
                  <td>{token.role ?? <span className="muted">yours</span>}</td>
                  <td>
                    <span className={`pill ${token.state === 'active' ? 'ok' : 'info'}`}>
                      {token.state}
                    </span>
                  </td>
                  <td>
                    <Time value={token.createdAt} />
                  </td>
                  <td>
                    {token.expiresAt ? (
                      <Time value={token.expiresAt} />
                    ) : (
                      <span className="muted">never</span>
                    )}
                  </td>
                  <td>
                    <Time value={token.lastUsedAt} />
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="button small"
                      disabled={token.state !== 'active'}
                      aria-label={`Revoke ${token.name}`}
                      onClick={() => setRevoking(token)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ListFooter
        list={list}
        count={rows.length}
        empty="No tokens yet. Create one above for a script, the CLI or CI: its value is shown once."
      />
      {revoking && (
        <Dialog title={`Revoke ${revoking.name}?`} onClose={() => setRevoking(null)}>
          <p>Anything using it is refused from its next request on. This cannot be undone.</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setRevoking(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="button danger"
              onClick={() => {
                revoke.mutate(revoking);
                setRevoking(null);
              }}
            >
              Revoke
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
