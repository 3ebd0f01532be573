import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { User, UserPatch } from '../../../src/contracts/access.ts';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { Menu } from '../components/Menu.tsx';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import { CreateUserDialog, PasswordDialog, RoleDialog } from '../components/pages/UserDialogs.tsx';
import { StatusLine, useStatus } from '../components/pages/StatusLine.tsx';
import { Time } from '../components/pages/Time.tsx';
import { useCan, useWho } from '../session.tsx';
import '../pages.css';

type Editing =
  | { mode: 'create' }
  | { mode: 'role'; user: User }
  | { mode: 'password'; user: User }
  | { mode: 'disable'; user: User }
  | null;

export function UsersPage() {
  const isAdmin = useCan('admin');
  if (!isAdmin) {
    return (
      <section className="page">
        <h1>Users</h1>
        <p className="empty">
          Only admins manage users. Your own password and tokens are on{' '}
          <Link to="/account">your account page</Link>.
        </p>
      </section>
    );
  }
  return <UsersList />;
}

function UsersList() {
  const me = useWho();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Editing>(null);
  const { said, say, fail } = useStatus();
  const { list, rows } = useCursorList<User>(['users'], '/users', { limit: 100 });

  const patch = useMutation({
    mutationFn: ({ user, body }: { user: User; body: UserPatch; done: string }) =>
      api<User>('PATCH', `/users/${user.id}`, { body }),
    onSuccess: async (_, { done }) => {
      say(done);
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    },
    onError: fail,
  });

  return (
    <section className="page">
      <div className="page-head">
        <h1>Users</h1>
        <button
          type="button"
          className="button primary"
          onClick={() => setEditing({ mode: 'create' })}
        >
          + Create
        </button>
      </div>
      <StatusLine said={said} />
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Users" aria-busy={list.isFetching}>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Last login</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((user) => {
                const isMe = user.id === me.user.id;
                return (
                  <tr key={user.id} data-user={user.username}>
                    <th scope="row">
                      {user.username}
                      {isMe && <span className="badge">you</span>}
                      {user.displayName && <span className="row-note">{user.displayName}</span>}
                    </th>
                    <td>{user.role}</td>
                    <td>
                      {user.disabled ? (
                        <span className="state off">Disabled</span>
                      ) : (
                        <span className="state on">Enabled</span>
                      )}
                      {user.mustChangePassword && (
                        <span className="row-note">must choose a new password</span>
                      )}
                    </td>
                    <td>
                      <Time value={user.lastLoginAt} />
                    </td>
                    <td className="actions">
                      <Menu
                        label={`Actions for ${user.username}`}
                        items={[
                          {
                            label: 'Change role…',
                            disabled: isMe,
                            onSelect: () => setEditing({ mode: 'role', user }),
                          },
                          {
                            label: 'Set a new password…',
                            disabled: isMe,
                            onSelect: () => setEditing({ mode: 'password', user }),
                          },
                          user.disabled
                            ? {
                                label: 'Enable',
                                onSelect: () =>
                                  patch.mutate({
                                    user,
                                    body: { disabled: false },
                                    done: `Enabled ${user.username}.`,
                                  }),
                              }
                            : {
                                label: 'Disable…',
                                danger: true,
                                disabled: isMe,
                                onSelect: () => setEditing({ mode: 'disable', user }),
                              },
                        ]}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ListFooter list={list} count={rows.length} empty="No users yet: add one with + Create." />
      {editing?.mode === 'create' && (
        <CreateUserDialog
          onClose={() => setEditing(null)}
          onSaved={(user) => {
            setEditing(null);
            say(`Created ${user.username}: they choose their own password at the first login.`);
          }}
        />
      )}
      {editing?.mode === 'role' && (
        <RoleDialog
          user={editing.user}
          onClose={() => setEditing(null)}
          onSaved={(user) => {
            setEditing(null);
            say(`${user.username} is now ${user.role}.`);
          }}
        />
      )}
      {editing?.mode === 'password' && (
        <PasswordDialog
          user={editing.user}
          onClose={() => setEditing(null)}
          onSaved={(user) => {
            setEditing(null);
            say(`Set a new password for ${user.username}: they must change it when they log in.`);
          }}
        />
      )}
      {editing?.mode === 'disable' && (
        <Dialog title={`Disable ${editing.user.username}?`} onClose={() => setEditing(null)}>
          <p>
            They are signed out now and cannot log in; their tokens stop working. Enable them again
            at any time.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="button danger"
              onClick={() => {
                patch.mutate({
                  user: editing.user,
                  body: { disabled: true },
                  done: `Disabled ${editing.user.username}.`,
                });
                setEditing(null);
              }}
            >
              Disable
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
