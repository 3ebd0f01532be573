// The sample request body Test Connection sends (many targets answer 400 to an empty one: a
// Slack webhook wants {"text": …}). Folded away until wanted; kept while the page is open.
import { useId } from 'react';
import './workbench.css';

export function SampleBody({ value, onChange }: { value: string; onChange(value: string): void }) {
  const id = useId();
  return (
    <details className="ed-sample">
      <summary>
        Sample request body{value !== '' && <span className="ed-sample-set"> · set</span>}
      </summary>
      <label htmlFor={id} className="visually-hidden">
        Sample request body
      </label>
      <textarea
        id={id}
        className="ed-sample-text"
        rows={4}
        value={value}
        spellCheck={false}
        placeholder={'e.g. {"text": "Hello from Hookline"}'}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p className="hint" id={`${id}-hint`}>
        Test Connection sends it as written, with <code>{'{{param.NAME}}'}</code> and{' '}
        <code>{'{{var.NAME}}'}</code> filled in; empty sends no body. It is not saved with the
        connection.
      </p>
    </details>
  );
}
