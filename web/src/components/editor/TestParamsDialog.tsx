// Before a Test Connection whose URL or headers use `{{param.NAME}}`: the values to test with
// (a real call gives them; a test has to ask). Remembered for the next test on this page.
import { useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { Dialog } from '../Dialog.tsx';

export function TestParamsDialog({
  names,
  values,
  environmentName,
  onRun,
  onClose,
}: {
  names: string[];
  values: Record<string, string>;
  environmentName: string;
  onRun(values: Record<string, string>): void;
  onClose(): void;
}) {
  const [given, setGiven] = useState(() =>
    Object.fromEntries(names.map((name) => [name, values[name] ?? ''])),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    event.stopPropagation();
    onRun(given);
  }

  // a portal: the editor is a <form>, and forms do not nest
  return createPortal(
    <Dialog title="Values for the test" onClose={onClose}>
      <form className="ed-picker" onSubmit={submit}>
        <p className="hint">
          This connection uses call parameters. Test Connection in {environmentName} sends these
          values (URL-encoded inside the URL).
        </p>
        {names.map((name, index) => (
          <div className="field" key={name}>
            <label htmlFor={`test-param-${name}`}>
              <code>{`{{param.${name}}}`}</code>
            </label>
            <input
              id={`test-param-${name}`}
              value={given[name] ?? ''}
              autoComplete="off"
              spellCheck={false}
              autoFocus={index === 0}
              onChange={(event) => setGiven({ ...given, [name]: event.target.value })}
            />
          </div>
        ))}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary">
            Run the test
          </button>
        </div>
      </form>
    </Dialog>,
    document.body,
  );
}
