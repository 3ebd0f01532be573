import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/domains/access/index.ts';
import type { Services } from '../../src/services.ts';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: Role;
  /** an API token of the user, with the user's role */
  token: string;
}

/**
 * A user with `role` and one API token, made through the access services (as the users and
 * tokens API would make them): the user name is unique per call.
 */
export async function addUser(
  services: Services,
  role: Role,
  username = `${role}-${randomBytes(4).toString('hex')}`,
): Promise<TestUser> {
  const password = `pw ${randomBytes(12).toString('hex')}`;
  const admin = { id: 'system', name: 'test-setup', role: 'admin' as const };
  const user = await services.access.users.create({ username, password, role }, admin);
  const created = await services.access.tokens.create(
    { name: 'test' },
    { id: user.id, name: user.username, role, via: 'token' },
  );
  return { id: user.id, username, password, role, token: created.token };
}
