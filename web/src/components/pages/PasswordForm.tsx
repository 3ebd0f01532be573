// The form that changes the caller's own password: on the account page, and on the page a user
// whose password someone else set is taken to before anything else.
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { useWho } from '../../session.tsx';
import { ProblemNote } from './ProblemNote.tsx';

/** Keep in step with minPasswordLength in src/domains/access/password-hash.ts. */
const minPasswordLength = 12;

export function PasswordForm({ onChanged }: { onChanged(): Promise<void> }) {
  const who = useWho();
  const form = useRef<HTMLFormElement>(null);
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api<undefined>('POST', '/users/me/password', { body }),
    onSuccess: async () => {
      form.current?.reset();
      await onChanged();
    },
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const newPassword = String(data.get('newPassword') ?? '');
    if (newPassword !== String(data.get('repeatPassword') ?? '')) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate({ currentPassword: String(data.get('currentPassword') ?? ''), newPassword });
  }
  return (
    <form ref={form} className="form narrow" onSubmit={submit}>
      {/* for password managers: which account this password belongs to */}
      <input type="text" hidden readOnly autoComplete="username" value={who.user.username} />
      <div className="field">
        <label htmlFor="current-password">Current password</label>
        <input
          id="current-password"
          name="currentPassword"
          type="password"
          required
          autoComplete="current-password"
        />
      </div>
      <div className="field">
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          name="newPassword"
          type="password"
          required
          minLength={minPasswordLength}
          autoComplete="new-password"
          aria-describedby="new-password-hint"
        />
        <p className="hint" id="new-password-hint">
          At least {minPasswordLength} characters, not a common one, not your user name.
        </p>
      </div>
      <div className="field">
        <label htmlFor="repeat-password">New password again</label>
        <input
          id="repeat-password"
          name="repeatPassword"
          type="password"
          required
          autoComplete="new-password"
          aria-invalid={mismatch}
          aria-describedby={mismatch ? 'repeat-password-error' : undefined}
        />
        {mismatch && (
          <p className="field-error" id="repeat-password-error" role="alert">
            The two new passwords differ.
          </p>
        )}
      </div>
      <ProblemNote error={change.error} />
      <div>
        <button type="submit" className="button primary" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
