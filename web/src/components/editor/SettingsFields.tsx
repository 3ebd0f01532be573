// The Settings tab: timeouts (seconds here, milliseconds in the API), the pool, retry, the
// delivery settings (DeliveryFields.tsx), and (SigningTlsFields.tsx) signing and TLS of one
// environment.
import { retryLimits } from '../../../../src/contracts/connection-limits.ts';
import type { EnvironmentKind } from '../../../../src/contracts/environments.ts';
import { DeliveryFields } from './DeliveryFields.tsx';
import type { Backoff, EnvironmentDraft } from './draft.ts';
import { useFieldProps } from './Field.tsx';
import { Checkbox, NumberField } from './SettingsControls.tsx';
import { SigningFields, TlsFields } from './SigningTlsFields.tsx';

type Change = (patch: Partial<EnvironmentDraft>) => void;

export function SettingsFields({
  environment,
  environmentName,
  kind,
  draft,
  onChange,
  readOnly,
}: {
  environment: string;
  environmentName: string;
  kind: EnvironmentKind | undefined;
  draft: EnvironmentDraft;
  onChange: Change;
  readOnly: boolean;
}) {
  const base = `environments.${environment}`;
  return (
    <div className="ed-settings">
      <fieldset className="ed-group">
        <legend>Timeouts</legend>
        <div className="ed-pair">
          <NumberField
            path={`${base}.connectTimeoutMs`}
            label="Connect timeout"
            unit="s"
            value={draft.connectTimeoutSeconds}
            min={1}
            max={60}
            disabled={readOnly}
            onChange={(connectTimeoutSeconds) => onChange({ connectTimeoutSeconds })}
            hint="TCP and TLS set-up; 1–60 s."
          />
          <NumberField
            path={`${base}.requestTimeoutMs`}
            label="Request timeout"
            unit="s"
            value={draft.requestTimeoutSeconds}
            min={1}
            max={60}
            disabled={readOnly}
            onChange={(requestTimeoutSeconds) => onChange({ requestTimeoutSeconds })}
            hint="One deadline for the whole exchange; 1–60 s."
          />
        </div>
      </fieldset>

      <fieldset className="ed-group">
        <legend>Connection pool</legend>
        <div className="ed-pair">
          <NumberField
            path={`${base}.poolSize`}
            label="Pool size"
            value={draft.poolSize}
            min={0}
            max={1024}
            step={1}
            disabled={readOnly}
            onChange={(poolSize) => onChange({ poolSize })}
            hint="0: managed by the server (24 connections per origin)."
          />
          <NumberField
            path={`${base}.idleTimeoutMs`}
            label="Idle keep-alive"
            unit="s"
            value={draft.idleTimeoutSeconds}
            min={0.1}
            max={600}
            disabled={readOnly}
            onChange={(idleTimeoutSeconds) => onChange({ idleTimeoutSeconds })}
            hint="How long an unused connection stays open for reuse."
          />
        </div>
        <Checkbox
          path={`${base}.followRedirects`}
          label="Follow redirects"
          hint="Each hop is checked against the egress policy again."
          checked={draft.followRedirects}
          disabled={readOnly}
          onChange={(followRedirects) => onChange({ followRedirects })}
        />
      </fieldset>

      <RetryFields base={base} draft={draft} onChange={onChange} readOnly={readOnly} />
      <DeliveryFields base={base} draft={draft} onChange={onChange} readOnly={readOnly} />
      <SigningFields base={base} draft={draft} onChange={onChange} readOnly={readOnly} />
      <TlsFields
        base={base}
        environmentName={environmentName}
        kind={kind}
        draft={draft}
        onChange={onChange}
        readOnly={readOnly}
      />
    </div>
  );
}

function RetryFields({
  base,
  draft,
  onChange,
  readOnly,
}: {
  base: string;
  draft: EnvironmentDraft;
  onChange: Change;
  readOnly: boolean;
}) {
  const backoff = useFieldProps(`${base}.retry.backoff`);
  const { maxAttempts, waitSeconds, maxWaitSeconds, maxAgeSeconds } = retryLimits;
  return (
    <fieldset className="ed-group">
      <legend>Retry</legend>
      <Checkbox
        path={`${base}.retry`}
        label="Retry failed attempts"
        hint="Only where it is safe: failures that never reached the target, idempotent methods, or a request with an idempotency key."
        checked={draft.retryOn}
        disabled={readOnly}
        onChange={(retryOn) => onChange({ retryOn })}
      />
      {draft.retryOn && (
        <div className="ed-quad">
          <NumberField
            path={`${base}.retry.maxAttempts`}
            label="Attempts at most"
            value={draft.maxAttempts}
            min={maxAttempts.min}
            max={maxAttempts.max}
            step={1}
            disabled={readOnly}
            onChange={(value) => onChange({ maxAttempts: value })}
          />
          <NumberField
            path={`${base}.retry.waitSeconds`}
            label="Wait"
            unit="s"
            value={draft.waitSeconds}
            min={waitSeconds.min}
            max={waitSeconds.max}
            disabled={readOnly}
            onChange={(value) => onChange({ waitSeconds: value })}
          />
          <div className="field">
            <label htmlFor={backoff.id}>Backoff</label>
            <select
              {...backoff}
              value={draft.backoff}
              disabled={readOnly}
              onChange={(event) => onChange({ backoff: event.target.value as Backoff })}
            >
              <option value="exponential">Exponential (doubles)</option>
              <option value="fixed">Fixed</option>
            </select>
          </div>
          <NumberField
            path={`${base}.retry.maxWaitSeconds`}
            label="Maximum wait"
            unit="s"
            value={draft.maxWaitSeconds}
            min={maxWaitSeconds.min}
            max={maxWaitSeconds.max}
            disabled={readOnly}
            onChange={(value) => onChange({ maxWaitSeconds: value })}
            hint="Optional cap for exponential backoff."
          />
          <NumberField
            path={`${base}.retry.maxAgeSeconds`}
            label="Maximum age"
            unit="s"
            value={draft.maxAgeSeconds}
            min={maxAgeSeconds.min}
            max={maxAgeSeconds.max}
            step={1}
            disabled={readOnly}
            onChange={(value) => onChange({ maxAgeSeconds: value })}
            hint={`A durable delivery older than this is not tried again; up to ${maxAgeSeconds.max / 86400} days (${maxAgeSeconds.max.toLocaleString('en')} s), empty for no limit.`}
          />
        </div>
      )}
    </fieldset>
  );
}
