/** Who is acting, handed from the API/CLI layer to every service call that changes something. */
export interface Actor {
  /** the user's id (`system` for Hookline itself) */
  id: string;
  /** what audit records show: the user name, e.g. `admin` */
  name: string;
  /** the role this call acts with: the user's, or a token's narrower one */
  role: 'viewer' | 'editor' | 'admin';
  /** how the caller proved who they are */
  via?: 'token' | 'session' | 'system';
  /** the token or session used (ids, never the secret) */
  credentialId?: string;
  /**
   * someone else set the user's password and it was not changed yet: the caller may only read
   * who they are, change the password and log out (never set for the bootstrap token)
   */
  mustChangePassword?: true;
}

/** The actor for changes Hookline makes itself (seeding, migrations). */
export const systemActor: Actor = { id: 'system', name: 'system', role: 'admin', via: 'system' };
