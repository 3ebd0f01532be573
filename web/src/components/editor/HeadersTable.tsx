// The Headers tab: one row per header, name and value both required, suggestions for both,
// the `<> Variable` picker for values, credentials shown as password fields with a Show toggle
// (a value that is only `{{…}}` references holds no credential and stays readable).
import { useState } from 'react';
import { isReferencesOnly, isSensitiveHeaderName } from './checks.ts';
import { maxHeaders, newHeaderRow, type HeaderRow } from './draft.ts';
import { FieldError, useFieldProps } from './Field.tsx';
import { useHeaderNames, useHeaderValues } from './catalog.ts';
import { PickerButton } from './ReferencePicker.tsx';
import { referencesOf, TemplateChips } from './TemplateChips.tsx';

const namesListId = 'header-name-suggestions';

export function HeadersTable({
  environment,
  environmentName,
  rows,
  onChange,
  focusField,
  readOnly,
}: {
  environment: string;
  environmentName: string;
  rows: HeaderRow[];
  onChange(rows: HeaderRow[]): void;
  focusField(path: string): void;
  readOnly: boolean;
}) {
  const names = useHeaderNames();
  const base = `environments.${environment}.headers`;
  const listProps = useFieldProps(base);

  function update(index: number, patch: Partial<HeaderRow>) {
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  }

  function remove(index: number) {
    onChange(rows.filter((_, i) => i !== index));
    // the focus goes to the row that took its place, or to Add header
    const next = rows.length - 1 > index ? `${base}[${index}].name` : base;
    focusField(next);
  }

  function add() {
    onChange([...rows, newHeaderRow()]);
    focusField(`${base}[${rows.length}].name`);
  }

  return (
    <div className="ed-headers">
      <datalist id={namesListId}>
        {names.data?.items.map((suggestion) => (
          <option key={suggestion.name} value={suggestion.name} label={suggestion.description} />
        ))}
      </datalist>
      {rows.length === 0 ? (
        <p className="muted ed-empty">
          No headers. Add Authorization, Content-Type or a trace header with <strong>+</strong>.
        </p>
      ) : (
        <div className="ed-header-head" aria-hidden="true">
          <span>Name</span>
          <span>Value</span>
        </div>
      )}
      <ol className="ed-header-rows">
        {rows.map((row, index) => (
          <HeaderRowFields
            key={row.key}
            row={row}
            index={index}
            path={`${base}[${index}]`}
            environment={environment}
            environmentName={environmentName}
            readOnly={readOnly}
            focusField={focusField}
            onName={(name) => update(index, { name })}
            onValue={(value) => update(index, { value })}
            onRemove={() => remove(index)}
          />
        ))}
      </ol>
      <FieldError path={base} />
      {!readOnly && (
        <button
          type="button"
          className="button ed-add"
          {...listProps}
          disabled={rows.length >= maxHeaders}
          onClick={add}
        >
          <span aria-hidden="true">+</span> Add header
        </button>
      )}
      {rows.length >= maxHeaders && (
        <p className="hint">At most {maxHeaders} headers per environment.</p>
      )}
    </div>
  );
}

function HeaderRowFields({
  row,
  index,
  path,
  environment,
  environmentName,
  readOnly,
  focusField,
  onName,
  onValue,
  onRemove,
}: {
  row: HeaderRow;
  index: number;
  path: string;
  environment: string;
  environmentName: string;
  readOnly: boolean;
  focusField(path: string): void;
  onName(name: string): void;
  onValue(value: string): void;
  onRemove(): void;
}) {
  const [reveal, setReveal] = useState(false);
  const sensitive = isSensitiveHeaderName(row.name);
  // masked: a credential header whose value has literal text (an empty one too: it may get some)
  const maskable = sensitive && !isReferencesOnly(row.value);
  const hidden = maskable && !reveal;
  const values = useHeaderValues(row.name);
  const valuesListId = `header-values-${row.key}`;
  const literalCredential = maskable && row.value.trim() !== '';
  const showReferences = !hidden && referencesOf(row.value).length > 0;
  const name = useFieldProps(`${path}.name`);
  const value = useFieldProps(
    `${path}.value`,
    literalCredential && `${valuesListId}-literal`,
    showReferences && `${valuesListId}-refs`,
  );
  const number = index + 1;

  return (
    <li className="ed-header-row">
      <div className="ed-header-name">
        <label htmlFor={name.id} className="ed-row-label">
          Header {number} name
        </label>
        <input
          {...name}
          value={row.name}
          list={namesListId}
          disabled={readOnly}
          autoComplete="off"
          spellCheck={false}
          placeholder="e.g. Authorization"
          onChange={(event) => onName(event.target.value)}
        />
        <FieldError path={`${path}.name`} />
      </div>
      <div className="ed-header-value">
        <label htmlFor={value.id} className="ed-row-label">
          Header {number} value
        </label>
        <div className="ed-inline">
          <input
            {...value}
            type={hidden ? 'password' : 'text'}
            value={row.value}
            list={hidden ? undefined : valuesListId}
            disabled={readOnly}
            autoComplete="off"
            spellCheck={false}
            placeholder={sensitive ? 'e.g. Bearer {{secret.NAME}}' : ''}
            onChange={(event) => onValue(event.target.value)}
          />
          {!readOnly && (
            <PickerButton
              path={`${path}.value`}
              targetLabel={`value of header ${number}`}
              value={row.value}
              onChange={onValue}
              environment={environment}
              environmentName={environmentName}
              focusField={focusField}
            />
          )}
          {maskable && (
            <button
              type="button"
              className="button ed-reveal"
              aria-label={`${reveal ? 'Hide' : 'Show'} the value of header ${number}`}
              title={reveal ? 'Hide the value' : 'Show the value while you edit it'}
              onClick={() => {
                setReveal(!reveal);
                document.getElementById(value.id)?.focus();
              }}
            >
              {reveal ? 'Hide' : 'Show'}
            </button>
          )}
        </div>
        {!hidden && (
          <datalist id={valuesListId}>
            {values.data?.items.map((suggestion) => (
              <option
                key={suggestion.value}
                value={suggestion.value}
                label={suggestion.description}
              />
            ))}
          </datalist>
        )}
        <FieldError path={`${path}.value`} />
        {literalCredential && (
          <p className="hint ed-warn-hint" id={`${valuesListId}-literal`}>
            <span aria-hidden="true">⚠ </span>A literal credential is stored and exported with the
            connection: keep it in a secret and use <code>{'{{secret.NAME}}'}</code>.
          </p>
        )}
        {showReferences && (
          <TemplateChips
            id={`${valuesListId}-refs`}
            text={row.value}
            environment={environment}
            environmentName={environmentName}
            label={`References in header ${number}`}
          />
        )}
      </div>
      {!readOnly && (
        <button
          type="button"
          className="button ed-remove"
          aria-label={`Remove header ${number}${row.name ? ` (${row.name})` : ''}`}
          title="Remove this header"
          onClick={onRemove}
        >
          <span aria-hidden="true">✕</span>
        </button>
      )}
    </li>
  );
}
