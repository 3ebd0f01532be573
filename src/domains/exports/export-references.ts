import type { Connection } from '../../contracts/connections.ts';
import type { ExportDependencyKind } from '../../contracts/exports.ts';
import { parseTemplate } from '../../contracts/templates.ts';

/** One named thing a connection needs, with every place that names it. */
export interface Reference {
  /** as first written (names ignore case: later spellings join the first) */
  name: string;
  /** field paths of connection.json, e.g. `environments.production.headers[0].value` */
  usedBy: string[];
}

export type ReferenceMap = Record<ExportDependencyKind, Reference[]>;

/**
 * What a connection's configuration refers to, in every environment: the certificates of
 * `tls.caCertificates`, the key store of `tls.keyStore`, and the `{{secret.*}}` and
 * `{{var.*}}` of its URL, header values and signing secret (the fields templates may use).
 * Names ignore case, as the stores do; each list is in name order.
 */
export function collectReferences(connection: Pick<Connection, 'environments'>): ReferenceMap {
  const found = createCollector();
  for (const [environmentId, params] of Object.entries(connection.environments)) {
    const at = `environments.${environmentId}`;
    found.addTemplate(params.url, `${at}.url`);
    params.headers.forEach((header, index) => {
      found.addTemplate(header.value, `${at}.headers[${index}].value`);
    });
    if (params.signing.scheme !== 'none') {
      found.addTemplate(params.signing.secret, `${at}.signing.secret`);
    }
    params.tls.caCertificates.forEach((name, index) => {
      found.add('certificate', name, `${at}.tls.caCertificates[${index}]`);
    });
    if (params.tls.keyStore !== null)
      found.add('keystore', params.tls.keyStore, `${at}.tls.keyStore`);
  }
  return found.result();
}

/** A map of references that more can be added to (a key store's passphrase secret). */
export function createCollector(initial?: ReferenceMap) {
  const byKind = new Map<ExportDependencyKind, Map<string, Reference>>();
  const add = (kind: ExportDependencyKind, name: string, path: string) => {
    let named = byKind.get(kind);
    if (!named) byKind.set(kind, (named = new Map()));
    const key = name.toLowerCase();
    const reference = named.get(key) ?? { name, usedBy: [] };
    if (!reference.usedBy.includes(path)) reference.usedBy.push(path);
    named.set(key, reference);
  };
  for (const [kind, references] of Object.entries(initial ?? {}) as Array<
    [ExportDependencyKind, Reference[]]
  >) {
    for (const reference of references) {
      for (const path of reference.usedBy) add(kind, reference.name, path);
    }
  }
  return {
    add,
    /** The `{{secret.*}}` and `{{var.*}}` of a template text (`{{param.*}}` is the caller's). */
    addTemplate(text: string, path: string) {
      const parsed = parseTemplate(text);
      // a saved configuration always parses; a text that does not refers to nothing here
      if ('problem' in parsed) return;
      for (const reference of parsed.references) {
        if (reference.namespace === 'secret') add('secret', reference.name, path);
        if (reference.namespace === 'var') add('variable', reference.name, path);
      }
    },
    result(): ReferenceMap {
      const list = (kind: ExportDependencyKind) =>
        [...(byKind.get(kind)?.values() ?? [])].sort((a, b) =>
          a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1,
        );
      return {
        certificate: list('certificate'),
        keystore: list('keystore'),
        secret: list('secret'),
        variable: list('variable'),
      };
    },
  };
}
