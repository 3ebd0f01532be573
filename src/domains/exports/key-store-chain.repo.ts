import type { Db } from '../../store/create-store.ts';
import { whereName } from '../../store/name-key.ts';

/**
 * The public certificate chain (PEM) of the key store a connection's `tls.keyStore` names,
 * names ignoring case; undefined when there is none. It selects that one column only: the
 * sealed private key or PKCS#12 (`key_material`) is never read on the way to an export.
 *
 * It reads the key_stores table directly because the key store domain's public face answers
 * summaries only; it belongs there once that domain grows such a read.
 */
export async function findKeyStoreChainPem(db: Db, name: string): Promise<string | undefined> {
  const row = await whereName(
    db.selectFrom('key_stores').select(['certificate_pem']),
    name,
  ).executeTakeFirst();
  return row?.certificate_pem;
}
