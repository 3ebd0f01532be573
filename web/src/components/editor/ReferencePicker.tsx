// The `<> Variable` picker: choose a variable, a secret or a call parameter — or create a
// variable or a secret on the spot (CreateReference.tsx) — and its `{{…}}` reference goes into
// the field at the cursor. <PickerButton> is the button beside a field (the Full URL, a header
// value) with the insertion at the cursor.
import { useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import type { TemplateNamespace } from '../../../../src/contracts/templates.ts';
import { Dialog } from '../Dialog.tsx';
import { useEnvironments, useSecrets, useVariables } from './catalog.ts';
import { CreateReference, type CreateKind } from './CreateReference.tsx';
import { fieldId } from './field-paths.ts';

/** The `<> Variable` button of the field at `path`, and the picker it opens. */
export function PickerButton({
  path,
  targetLabel,
  value,
  onChange,
  environment,
  environmentName,
  focusField,
}: {
  path: string;
  /** how the picker names the field: "Full URL", "header 2 value" */
  targetLabel: string;
  value: string;
  onChange(value: string): void;
  environment: string;
  environmentName: string;
  focusField(path: string): void;
}) {
  const [picking, setPicking] = useState(false);

  function insert(reference: string) {
    const input = document.getElementById(fieldId(path)) as HTMLInputElement | null;
    const start = input?.selectionStart ?? value.length;
    const end = input?.selectionEnd ?? start;
    onChange(value.slice(0, start) + reference + value.slice(end));
    setPicking(false);
    // after the new value is rendered: the cursor goes just after the reference
    requestAnimationFrame(() => {
      const field = document.getElementById(fieldId(path)) as HTMLInputElement | null;
      field?.focus();
      field?.setSelectionRange(start + reference.length, start + reference.length);
    });
  }

  return (
    <>
      <button
        type="button"
        className="button ed-picker-button"
        aria-haspopup="dialog"
        aria-label={`Insert a variable, secret or parameter into the ${targetLabel}`}
        title="Insert {{var.…}}, {{secret.…}} or {{param.…}} at the cursor"
        onClick={() => setPicking(true)}
      >
        <span aria-hidden="true">&lt;&gt;</span> Variable
      </button>
      {picking && (
        <ReferencePicker
          targetLabel={targetLabel}
          environment={environment}
          environmentName={environmentName}
          onInsert={insert}
          onClose={() => {
            setPicking(false);
            focusField(path);
          }}
        />
      )}
    </>
  );
}

const paramName = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;

export function ReferencePicker({
  targetLabel,
  environment,
  environmentName,
  onInsert,
  onClose,
}: {
  targetLabel: string;
  environment: string;
  environmentName: string;
  onInsert(reference: string): void;
  onClose(): void;
}) {
  const variables = useVariables();
  const secrets = useSecrets();
  const environments = useEnvironments();
  const [kind, setKind] = useState<TemplateNamespace>('var');
  const [creating, setCreating] = useState<CreateKind | null>(null);
  const [variable, setVariable] = useState('');
  const [secret, setSecret] = useState('');
  const [param, setParam] = useState('');

  const variableItems = variables.data?.items ?? [];
  const secretItems = secrets.data?.items ?? [];
  const chosenVariable = variable || variableItems[0]?.name || '';
  const chosenSecret = secret || secretItems[0]?.name || '';
  const name = kind === 'var' ? chosenVariable : kind === 'secret' ? chosenSecret : param.trim();
  const valid = kind === 'param' ? paramName.test(name) : name !== '';
  const reference = valid ? `{{${kind}.${name}}}` : '';

  function submit(event: FormEvent) {
    event.preventDefault();
    event.stopPropagation();
    if (reference) onInsert(reference);
  }

  const value = variableItems.find((v) => v.name === chosenVariable)?.values[environment];

  if (creating) {
    // a portal: the editor is a <form>, and forms do not nest
    return createPortal(
      <Dialog title={creating === 'var' ? 'New variable' : 'New secret'} onClose={onClose}>
        <p className="hint">
          Created now, then <code>{`{{${creating}.NAME}}`}</code> goes into{' '}
          <strong>{targetLabel}</strong> at the cursor.
        </p>
        <CreateReference
          kind={creating}
          environments={environments.data?.items ?? []}
          onCreated={(name) => onInsert(`{{${creating}.${name}}}`)}
          onBack={() => setCreating(null)}
        />
      </Dialog>,
      document.body,
    );
  }

  const newButton = (what: CreateKind) => (
    <div className="ed-picker-create">
      <button type="button" className="button" onClick={() => setCreating(what)}>
        <span aria-hidden="true">+ </span>New {what === 'var' ? 'variable' : 'secret'}…
      </button>
    </div>
  );

  // a portal: the editor is a <form>, and forms do not nest
  return createPortal(
    <Dialog title="Insert a reference" onClose={onClose}>
      <form className="ed-picker" onSubmit={submit}>
        <p className="hint">
          Goes into <strong>{targetLabel}</strong> at the cursor; resolved when a call is made.
        </p>
        <fieldset className="ed-radios">
          <legend>Kind</legend>
          {(
            [
              ['var', 'Variable', 'a value per environment'],
              ['secret', 'Secret', 'never shown, resolved when sent'],
              ['param', 'Parameter', 'given by each call'],
            ] as const
          ).map(([id, label, hint]) => (
            <label key={id} className="ed-radio">
              <input
                type="radio"
                name="reference-kind"
                value={id}
                checked={kind === id}
                onChange={() => setKind(id)}
              />
              {label} <span className="muted">— {hint}</span>
            </label>
          ))}
        </fieldset>

        {kind === 'var' && (
          <div className="field">
            <label htmlFor="picker-variable">Variable</label>
            {variableItems.length > 0 ? (
              <select
                id="picker-variable"
                value={chosenVariable}
                aria-describedby="picker-variable-value"
                onChange={(event) => setVariable(event.target.value)}
              >
                {variableItems.map((v) => (
                  <option key={v.id} value={v.name}>
                    {v.name}
                  </option>
                ))}
              </select>
            ) : (
              <p className="hint" id="picker-variable">
                {variables.isPending ? 'Loading…' : 'No variables yet: create the first one here.'}
              </p>
            )}
            {newButton('var')}
            {chosenVariable && (
              <p className="hint" id="picker-variable-value">
                {value === undefined ? (
                  <>⚠ no value in {environmentName}: a call there fails with TEMPLATE_UNRESOLVED</>
                ) : (
                  <>
                    In {environmentName}: <code>{value}</code>
                  </>
                )}
              </p>
            )}
          </div>
        )}
        {kind === 'secret' && (
          <div className="field">
            <label htmlFor="picker-secret">Secret</label>
            {secretItems.length > 0 ? (
              <select
                id="picker-secret"
                value={chosenSecret}
                onChange={(event) => setSecret(event.target.value)}
              >
                {secretItems.map((s) => (
                  <option key={s.id} value={s.name}>
                    {s.name} ({s.source})
                  </option>
                ))}
              </select>
            ) : (
              <p className="hint" id="picker-secret">
                {secrets.isPending ? 'Loading…' : 'No secrets yet: create the first one here.'}
              </p>
            )}
            {newButton('secret')}
          </div>
        )}
        {kind === 'param' && (
          <div className="field">
            <label htmlFor="picker-param">Parameter name</label>
            <input
              id="picker-param"
              value={param}
              autoComplete="off"
              spellCheck={false}
              placeholder="e.g. orderId"
              aria-describedby="picker-param-hint"
              aria-invalid={param !== '' && !valid ? true : undefined}
              onChange={(event) => setParam(event.target.value)}
            />
            <p className="hint" id="picker-param-hint">
              Starts with a letter or _, then letters, digits, _ . -; URL-encoded inside a URL.
            </p>
          </div>
        )}

        <p className="ed-picker-preview" aria-live="polite">
          {reference ? (
            <>
              Inserts <code>{reference}</code>
            </>
          ) : (
            <span className="muted">Choose what to insert.</span>
          )}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!reference}>
            Insert
          </button>
        </div>
      </form>
    </Dialog>,
    document.body,
  );
}
