// The `{{var.X}}`, `{{secret.X}}` and `{{param.X}}` references of a text, as chips under its
// field: what each one is, and whether it will resolve in this environment.
import { parseTemplate, type TemplateReference } from '../../../../src/contracts/templates.ts';
import { useSecrets, useVariables } from './catalog.ts';

const kinds = { var: 'variable', secret: 'secret', param: 'parameter' } as const;

export function referencesOf(text: string): TemplateReference[] {
  const parsed = parseTemplate(text);
  if ('problem' in parsed) return [];
  const seen = new Set<string>();
  return parsed.references.filter((reference) => {
    const key = `${reference.namespace}.${reference.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function TemplateChips({
  text,
  environment,
  environmentName,
  label,
  id,
}: {
  text: string;
  environment: string;
  environmentName: string;
  label: string;
  id?: string;
}) {
  const references = referencesOf(text);
  const variables = useVariables(references.some((r) => r.namespace === 'var'));
  const secrets = useSecrets(references.some((r) => r.namespace === 'secret'));
  if (references.length === 0) return null;

  function noteOf(reference: TemplateReference): { text: string; warn: boolean } {
    if (reference.namespace === 'param') return { text: 'given by each call', warn: false };
    if (reference.namespace === 'var') {
      if (!variables.data) return { text: '', warn: false };
      const found = variables.data.items.find((v) => v.name === reference.name);
      if (!found) return { text: 'no such variable', warn: true };
      const value = found.values[environment];
      if (value === undefined) return { text: `no value in ${environmentName}`, warn: true };
      return { text: `= ${value.length > 48 ? `${value.slice(0, 47)}…` : value}`, warn: false };
    }
    if (!secrets.data) return { text: '', warn: false };
    const found = secrets.data.items.find((s) => s.name === reference.name);
    return found
      ? { text: 'resolved when sent', warn: false }
      : { text: 'no such secret', warn: true };
  }

  return (
    <ul className="ed-chips" aria-label={label} id={id}>
      {references.map((reference) => {
        const note = noteOf(reference);
        return (
          <li
            key={reference.raw}
            className={`ed-chip ${reference.namespace}${note.warn ? ' warn' : ''}`}
          >
            <span className="ed-chip-kind">{kinds[reference.namespace]}</span>{' '}
            <code>{reference.name}</code>
            {note.text && (
              <span className="ed-chip-note">
                {note.warn && <span aria-hidden="true">⚠ </span>}
                {note.text}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
