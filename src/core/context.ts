/** Who is acting, handed from the API/CLI layer to every service call that changes something. */
export interface Actor {
  /** token id (later: user id) */
  id: string;
  /** what audit records show, e.g. `admin` */
  name: string;
  role: 'viewer' | 'editor' | 'admin';
}

/** The actor for changes Hookline makes itself (seeding, migrations). */
export const systemActor: Actor = { id: 'system', name: 'system', role: 'admin' };
