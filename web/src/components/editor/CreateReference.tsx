// The picker's create step: a new variable (a value per environment) or a new secret (a
// write-only value) made without leaving the editor, then inserted as its reference. The
// server's refusals are shown next to their fields (name taken, name rules, value too short).
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import type { Environment } from '../../../../src/contracts/environments.ts';
import { minSecretValueChars } from '../../../../src/contracts/secret-limits.ts';
import { api, ApiError } from '../../api/client.ts';
import { Dialog } from '../Dialog.tsx';
import { errorText } from '../ErrorNote.tsx';
import './workbench.css';

export type CreateKind = 'var' | 'secret';

/** The same rule as referenceName in contracts/variables.ts (the template parser's). */
const referenceName = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;

/** field → message, from a refusal: VALIDATION_FAILED by path, *_EXISTS on the name. */
function problemsOf(error: unknown, what: string): Record<string, string> {
  if (!(error instanceof ApiError)) return { '': errorText(error) };
  if (error.code === 'VARIABLE_EXISTS' || error.code === 'SECRET_EXISTS') {
    // not the server's message: its advice is an API call
    return {
      name: `a ${what} with this name exists already: choose another name, or go Back and pick it`,
    };
  }
  if (error.code === 'VALIDATION_FAILED' && error.problems.length > 0) {
    return Object.fromEntries(error.problems.map((p) => [p.path, p.message]));
  }
  return { '': errorText(error) };
}

export function CreateReference({
  kind,
  environments,
  onCreated,
  onBack,
}: {
  kind: CreateKind;
  environments: Environment[];
  /** made: `name` is inserted as `{{kind.name}}` */
  onCreated(name: string): void;
  onBack(): void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [secretValue, setSecretValue] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const what = kind === 'var' ? 'variable' : 'secret';

  function ownProblems(): Record<string, string> {
    const found: Record<string, string> = {};
    if (name.trim() === '') found.name = 'name is required';
    else if (!referenceName.test(name)) {
      found.name = 'starts with a letter or _, then letters, digits, _ . and - (no spaces)';
    }
    if (kind === 'secret' && [...secretValue].length < minSecretValueChars) {
      found.value = `at least ${minSecretValueChars} characters: a shorter secret cannot be masked in answers`;
    }
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    // the dialog's form sits in a portal: its submit must not reach the editor's form
    event.stopPropagation();
    const found = ownProblems();
    setProblems(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(`create-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      if (kind === 'var') {
        const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
        await api('POST', '/variables', { body: { name, values: given } });
        await queryClient.invalidateQueries({ queryKey: ['variables'] });
      } else {
        await api('POST', '/secrets', { body: { name, value: secretValue } });
        // the value leaves the page's memory with the dialog
        setSecretValue('');
        await queryClient.invalidateQueries({ queryKey: ['secrets'] });
      }
      onCreated(name);
    } catch (error) {
      setProblems(problemsOf(error, what));
    } finally {
      setBusy(false);
    }
  }

  const describedBy = (field: string, hint?: string) =>
    [problems[field] ? `create-${field}-error` : '', hint ?? ''].filter(Boolean).join(' ') ||
    undefined;
  const fieldError = (field: string) =>
    problems[field] && (
      <p className="field-error" id={`create-${field}-error`}>
        <span aria-hidden="true">✗ </span>
        {problems[field]}
      </p>
    );

  return (
    <form className="ed-picker" noValidate onSubmit={(event) => void submit(event)}>
      {problems[''] && (
        <p className="banner error" role="alert">
          Not created: {problems['']}
        </p>
      )}
      <div className="field">
        <label htmlFor="create-name">Name of the new {what}</label>
        <input
          id="create-name"
          value={name}
          autoComplete="off"
          spellCheck={false}
          autoFocus
          aria-invalid={problems.name ? true : undefined}
          aria-describedby={describedBy('name', 'create-name-hint')}
          onChange={(event) => setName(event.target.value)}
        />
        {fieldError('name')}
        <p className="hint" id="create-name-hint">
          Referenced as <code>{`{{${kind}.${name.trim() || 'NAME'}}}`}</code>.
        </p>
      </div>
      {kind === 'var' ? (
        <fieldset className="ed-create-values">
          <legend>Value per environment</legend>
          {environments.map((e) => (
            <div className="field" key={e.id}>
              <label htmlFor={`create-values.${e.id}`}>Value in {e.name}</label>
              <input
                id={`create-values.${e.id}`}
                value={values[e.id] ?? ''}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={problems[`values.${e.id}`] ? true : undefined}
                aria-describedby={describedBy(`values.${e.id}`)}
                onChange={(event) => setValues({ ...values, [e.id]: event.target.value })}
              />
              {fieldError(`values.${e.id}`)}
            </div>
          ))}
          <p className="hint">
            An environment left empty has no value: a call there fails until it has one.
          </p>
        </fieldset>
      ) : (
        <div className="field">
          <label htmlFor="create-value">Value</label>
          <input
            id="create-value"
            type="password"
            value={secretValue}
            autoComplete="new-password"
            spellCheck={false}
            aria-invalid={problems.value ? true : undefined}
            aria-describedby={describedBy('value', 'create-value-hint')}
            onChange={(event) => setSecretValue(event.target.value)}
          />
          {fieldError('value')}
          <p className="hint" id="create-value-hint">
            At least {minSecretValueChars} characters. Stored encrypted and never shown again; calls
            use it when they are sent.
          </p>
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : `Create ${what} and insert`}
        </button>
      </div>
    </form>
  );
}

/** "+ New secret…": the create step in a dialog of its own (the signing key's secret). */
export function NewSecretButton({
  purpose,
  onCreated,
}: {
  /** what the secret is for, e.g. "the signing key" */
  purpose: string;
  onCreated(name: string): void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button ed-link" onClick={() => setOpen(true)}>
        <span aria-hidden="true">+ </span>New secret…
      </button>
      {open &&
        // a portal: the editor is a <form>, and forms do not nest
        createPortal(
          <Dialog title="New secret" onClose={() => setOpen(false)}>
            <p className="hint">Created now, then chosen as {purpose}.</p>
            <CreateReference
              kind="secret"
              environments={[]}
              onCreated={(name) => {
                setOpen(false);
                onCreated(name);
              }}
              onBack={() => setOpen(false)}
            />
          </Dialog>,
          document.body,
        )}
    </>
  );
}
