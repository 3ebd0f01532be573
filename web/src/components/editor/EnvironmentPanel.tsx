// One environment's parameters: add, copy from another environment, remove; the HTTP method and
// Full URL with the `<> Variable` picker; the Headers and Settings tabs.
import { useState } from 'react';
import type { Environment } from '../../../../src/contracts/environments.ts';
import type { EnvironmentDraft, HeaderRow } from './draft.ts';
import { copyEnvironmentDraft, httpMethods, newEnvironmentDraft } from './draft.ts';
import { FieldError, useFieldProps } from './Field.tsx';
import type { EnvironmentSection } from './field-paths.ts';
import { HeadersTable } from './HeadersTable.tsx';
import { PickerButton } from './ReferencePicker.tsx';
import { SettingsFields } from './SettingsFields.tsx';
import { Tabs } from './Tabs.tsx';
import { referencesOf, TemplateChips } from './TemplateChips.tsx';

interface Undo {
  message: string;
  previous: EnvironmentDraft | undefined;
}

export function EnvironmentPanel({
  environment,
  environments,
  params,
  all,
  onChange,
  section,
  onSection,
  focusField,
  readOnly,
}: {
  environment: Environment;
  environments: Environment[];
  params: EnvironmentDraft | undefined;
  /** every environment's parameters, to copy from */
  all: Record<string, EnvironmentDraft>;
  onChange(next: EnvironmentDraft | undefined): void;
  section: EnvironmentSection;
  onSection(section: EnvironmentSection): void;
  focusField(path: string): void;
  readOnly: boolean;
}) {
  const id = environment.id;
  const sources = environments.filter((e) => e.id !== id && all[e.id]);
  const [copyFrom, setCopyFrom] = useState('');
  const [undo, setUndo] = useState<Undo | null>(null);
  const source = sources.find((e) => e.id === copyFrom) ?? sources[0];
  function replace(next: EnvironmentDraft | undefined, message: string) {
    setUndo({ message, previous: params });
    onChange(next);
  }

  function copy() {
    const from = source && all[source.id];
    if (!source || !from) return;
    replace(
      copyEnvironmentDraft(from),
      params
        ? `Replaced the parameters of ${environment.name} with a copy of ${source.name}'s.`
        : `Copied the parameters of ${source.name} into ${environment.name}.`,
    );
    focusField(`environments.${id}.url`);
  }

  const copyControls = sources.length > 0 && !readOnly && (
    <div className="ed-copy">
      <label htmlFor={`copy-from-${id}`}>Copy from</label>
      <select
        id={`copy-from-${id}`}
        value={source?.id ?? ''}
        onChange={(event) => setCopyFrom(event.target.value)}
      >
        {sources.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </select>
      <button type="button" className="button" onClick={copy}>
        Copy{source ? ` from ${source.name}` : ''}
      </button>
    </div>
  );

  const undoNote = undo && (
    <p className="ed-undo" role="status">
      {undo.message}{' '}
      <button
        type="button"
        className="button ed-link"
        onClick={() => {
          onChange(undo.previous);
          setUndo(null);
        }}
      >
        Undo
      </button>
    </p>
  );

  if (!params) {
    return (
      <div className="ed-env-empty">
        {undoNote}
        <p>
          <strong>{environment.name}</strong> has no parameters: a call there fails until this
          connection has them and is deployed.
        </p>
        {!readOnly && (
          <div className="ed-env-empty-actions">
            <button
              type="button"
              className="button primary"
              onClick={() => {
                onChange(newEnvironmentDraft());
                setUndo(null);
                focusField(`environments.${id}.method`);
              }}
            >
              Add parameters for {environment.name}
            </button>
            {copyControls}
          </div>
        )}
      </div>
    );
  }

  const update = (patch: Partial<EnvironmentDraft>) => onChange({ ...params, ...patch });

  return (
    <div className="ed-env">
      {undoNote}
      <RequestFields
        environment={environment}
        params={params}
        update={update}
        readOnly={readOnly}
        focusField={focusField}
      />
      <Tabs
        label={`Parameters of ${environment.name}`}
        idPrefix={`section-${id}`}
        panelId={`section-panel-${id}`}
        className="ed-subtabs"
        selected={section}
        onSelect={(next) => onSection(next as EnvironmentSection)}
        items={[
          {
            id: 'headers',
            label: (
              <>
                Headers <span className="ed-count">{params.headers.length}</span>
              </>
            ),
          },
          { id: 'settings', label: 'Settings' },
        ]}
      />
      <div
        className="ed-subpanel"
        role="tabpanel"
        id={`section-panel-${id}`}
        aria-labelledby={`section-${id}-${section}`}
      >
        {section === 'headers' ? (
          <HeadersTable
            environment={id}
            environmentName={environment.name}
            rows={params.headers}
            onChange={(headers: HeaderRow[]) => update({ headers })}
            focusField={focusField}
            readOnly={readOnly}
          />
        ) : (
          <SettingsFields
            environment={id}
            environmentName={environment.name}
            kind={environment.kind}
            draft={params}
            onChange={update}
            readOnly={readOnly}
          />
        )}
      </div>
      {!readOnly && (
        <div className="ed-env-foot">
          {copyControls}
          <button
            type="button"
            className="button ed-danger-subtle"
            onClick={() => {
              replace(undefined, `Removed the parameters of ${environment.name}.`);
              focusField(`env-panel`);
            }}
          >
            Remove parameters for {environment.name}
          </button>
        </div>
      )}
    </div>
  );
}

/** The HTTP method and Full URL, the references in it, and the `<> Variable` picker. */
function RequestFields({
  environment,
  params,
  update,
  readOnly,
  focusField,
}: {
  environment: Environment;
  params: EnvironmentDraft;
  update(patch: Partial<EnvironmentDraft>): void;
  readOnly: boolean;
  focusField(path: string): void;
}) {
  const base = `environments.${environment.id}`;
  const urlPath = `${base}.url`;
  const hasReferences = referencesOf(params.url).length > 0;
  const plainHttp = environment.kind === 'production' && /^http:\/\//i.test(params.url.trim());
  const method = useFieldProps(`${base}.method`);
  const url = useFieldProps(
    urlPath,
    plainHttp && `${urlPath}:http`,
    hasReferences && `${urlPath}:refs`,
    `${urlPath}:hint`,
  );

  return (
    <div className="ed-request">
      <div className="field ed-method">
        <label htmlFor={method.id}>HTTP method</label>
        <select
          {...method}
          value={params.method}
          disabled={readOnly}
          onChange={(event) => update({ method: event.target.value as EnvironmentDraft['method'] })}
        >
          {httpMethods.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <FieldError path={`${base}.method`} />
      </div>
      <div className="field ed-url">
        <label htmlFor={url.id}>
          Full URL <span className="ed-required">(required)</span>
        </label>
        <div className="ed-inline">
          <input
            {...url}
            type="text"
            inputMode="url"
            value={params.url}
            disabled={readOnly}
            autoComplete="off"
            spellCheck={false}
            placeholder="https://hooks.partner.com/api/logs"
            onChange={(event) => update({ url: event.target.value })}
          />
          {!readOnly && (
            <PickerButton
              path={urlPath}
              targetLabel="Full URL"
              value={params.url}
              onChange={(next) => update({ url: next })}
              environment={environment.id}
              environmentName={environment.name}
              focusField={focusField}
            />
          )}
        </div>
        <FieldError path={urlPath} />
        {plainHttp && (
          <p className="hint ed-warn-hint" id={`${urlPath}:http`}>
            <span aria-hidden="true">⚠ </span>Plain http:// in a production environment: the data
            travels unencrypted (saved with a warning). Use https://.
          </p>
        )}
        <TemplateChips
          id={`${urlPath}:refs`}
          text={params.url}
          environment={environment.id}
          environmentName={environment.name}
          label="References in the Full URL"
        />
        <p className="hint" id={`${urlPath}:hint`}>
          Starts with https:// (or http://); <code>{'{{var.NAME}}'}</code>,{' '}
          <code>{'{{secret.NAME}}'}</code> and <code>{'{{param.NAME}}'}</code> are filled in when a
          call is made.
        </p>
      </div>
    </div>
  );
}
