// The labelled number field and checkbox of the Settings tab, with their hint and problem.
import type { ReactNode } from 'react';
import { FieldError, useFieldProps } from './Field.tsx';

export function NumberField({
  path,
  label,
  unit,
  hint,
  value,
  min,
  max,
  step,
  disabled,
  onChange,
}: {
  path: string;
  label: string;
  unit?: string;
  hint?: ReactNode;
  value: string;
  min: number;
  max: number;
  step?: number | 'any';
  disabled: boolean;
  onChange(value: string): void;
}) {
  const hintId = hint ? `${path}:hint` : undefined;
  const props = useFieldProps(path, hintId);
  return (
    <div className="field">
      <label htmlFor={props.id}>{label}</label>
      <div className="ed-unit">
        <input
          {...props}
          type="number"
          inputMode="decimal"
          min={min}
          max={max}
          step={step ?? 'any'}
          value={value}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value)}
        />
        {unit && <span aria-hidden="true">{unit}</span>}
      </div>
      <FieldError path={path} />
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

export function Checkbox({
  path,
  label,
  hint,
  checked,
  disabled,
  onChange,
}: {
  path: string;
  label: string;
  hint?: ReactNode;
  checked: boolean;
  disabled: boolean;
  onChange(checked: boolean): void;
}) {
  const hintId = hint ? `${path}:hint` : undefined;
  const props = useFieldProps(path, hintId);
  return (
    <div className="ed-check">
      <input
        {...props}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={props.id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <FieldError path={path} />
    </div>
  );
}
