import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import type { Role, User, UserIn } from '../../../../src/contracts/access.ts';
import { api } from '../../api/client.ts';
import { Dialog } from '../Dialog.tsx';
import { ProblemNote } from './ProblemNote.tsx';

const roles: Array<{ role: Role; words: string }> = [
  { role: 'viewer', words: 'viewer: reads everything' },
  { role: 'editor', words: 'editor: changes configuration, deploys outside production' },
  { role: 'admin', words: 'admin: everything, users and approvals too' },
];
/** Keep in step with minPasswordLength in src/domains/access/password-hash.ts. */
const minPasswordLength = 12;

function RoleSelect({ value, onChange }: { value: Role; onChange(role: Role): void }) {
  return (
    <div className="field">
      <label htmlFor="user-role">Role</label>
      <select
        id="user-role"
        value={value}
        onChange={(event) => onChange(event.target.value as Role)}
      >
        {roles.map((option) => (
          <option key={option.role} value={option.role}>
            {option.words}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CreateUserDialog({
  onClose,
  onSaved,
}: {
  onClose(): void;
  onSaved(user: User): void;
}) {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const password = useRef<HTMLInputElement>(null);
  const save = useMutation({
    mutationFn: () => {
      const body: UserIn = {
        username: username.trim(),
        displayName: displayName.trim() || undefined,
        role,
        password: password.current?.value ?? '',
      };
      return api<User>('POST', '/users', { body });
    },
    onSuccess: async (user) => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onSaved(user);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <Dialog title="Create a user" onClose={onClose}>
      <form className="form" onSubmit={submit} autoComplete="off">
        <div className="field">
          <label htmlFor="user-username">User name</label>
          <input
            id="user-username"
            required
            maxLength={64}
            pattern="[A-Za-z0-9][A-Za-z0-9_.@\-]{0,63}"
            value={username}
            aria-describedby="user-username-hint"
            onChange={(event) => setUsername(event.target.value)}
          />
          <p className="hint" id="user-username-hint">
            Letters, digits, _ . @ and -; an e-mail address works.
          </p>
        </div>
        <div className="field">
          <label htmlFor="user-display-name">Display name</label>
          <input
            id="user-display-name"
            maxLength={200}
            value={displayName}
            onChange={(event) => setDisplayName(event.target.value)}
          />
        </div>
        <RoleSelect value={role} onChange={setRole} />
        <div className="field">
          <label htmlFor="user-password">First password</label>
          <input
            id="user-password"
            ref={password}
            type="password"
            required
            minLength={minPasswordLength}
            autoComplete="new-password"
            aria-describedby="user-password-hint"
          />
          <p className="hint" id="user-password-hint">
            At least {minPasswordLength} characters. Give it to them safely: they must choose their
            own when they first log in.
          </p>
        </div>
        <ProblemNote error={save.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={save.isPending}>
            {save.isPending ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function RoleDialog({
  user,
  onClose,
  onSaved,
}: {
  user: User;
  onClose(): void;
  onSaved(user: User): void;
}) {
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>(user.role);
  const save = useMutation({
    mutationFn: () => api<User>('PATCH', `/users/${user.id}`, { body: { role } }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onSaved(saved);
    },
  });
  return (
    <Dialog title={`Change the role of ${user.username}`} onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <RoleSelect value={role} onChange={setRole} />
        <ProblemNote error={save.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button primary"
            disabled={save.isPending || role === user.role}
          >
            Change role
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function PasswordDialog({
  user,
  onClose,
  onSaved,
}: {
  user: User;
  onClose(): void;
  onSaved(user: User): void;
}) {
  const password = useRef<HTMLInputElement>(null);
  const save = useMutation({
    mutationFn: () =>
      api<User>('PATCH', `/users/${user.id}`, {
        body: { password: password.current?.value ?? '' },
      }),
    onSuccess: onSaved,
  });
  return (
    <Dialog title={`Set a new password for ${user.username}`} onClose={onClose}>
      <form
        className="form"
        autoComplete="off"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <div className="field">
          <label htmlFor="user-new-password">New password</label>
          <input
            id="user-new-password"
            ref={password}
            type="password"
            required
            minLength={minPasswordLength}
            autoComplete="new-password"
            aria-describedby="user-new-password-hint"
          />
          <p className="hint" id="user-new-password-hint">
            They must change it when they next log in.
          </p>
        </div>
        <ProblemNote error={save.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={save.isPending}>
            Set password
          </button>
        </div>
      </form>
    </Dialog>
  );
}
