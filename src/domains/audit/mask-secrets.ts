import { isSensitiveHeaderName } from '../../contracts/headers.ts';
import { parseTemplate } from '../../contracts/templates.ts';

export const mask = '****';

/**
 * A copy of `value` fit for an audit record: in every `headers: [{name, value}]` list, a
 * sensitive header's literal value is masked. A pure `{{secret.X}}` reference stays: it names
 * the secret, it is not the secret.
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === 'headers' && Array.isArray(item) ? item.map(maskHeader) : maskSecrets(item);
  }
  return out;
}

function maskHeader(header: unknown): unknown {
  if (header === null || typeof header !== 'object') return header;
  const { name, value } = header as { name?: unknown; value?: unknown };
  if (typeof name !== 'string' || typeof value !== 'string' || !isSensitiveHeaderName(name))
    return header;
  return { ...header, value: isOnlySecretReferences(value) ? value : mask };
}

function isOnlySecretReferences(value: string): boolean {
  const parsed = parseTemplate(value);
  if ('problem' in parsed || parsed.references.length === 0) return false;
  if (parsed.references.some((r) => r.namespace !== 'secret')) return false;
  // a scheme word and a space before the first reference at most ("Bearer "); nothing else
  const [head = '', ...rest] = value.split(/\{\{[^{}]*\}\}/);
  return /^\s*([A-Za-z][A-Za-z-]*\s+)?$/.test(head) && rest.every((piece) => piece.trim() === '');
}
