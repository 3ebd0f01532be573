// The Settings tab's Delivery settings: how durable deliveries (POST …/deliveries, flows' send
// steps) go out in one environment — in order or not, how many at once, how many per second.
// A synchronous invoke and Test Connection ignore them. Limits from contracts/connection-limits.
import { deliveryLimits } from '../../../../src/contracts/connection-limits.ts';
import type { EnvironmentDraft } from './draft.ts';
import { Checkbox, NumberField } from './SettingsControls.tsx';

export function DeliveryFields({
  base,
  draft,
  onChange,
  readOnly,
}: {
  base: string;
  draft: EnvironmentDraft;
  onChange(patch: Partial<EnvironmentDraft>): void;
  readOnly: boolean;
}) {
  const { maxConcurrency, ratePerSecond } = deliveryLimits;
  return (
    <fieldset className="ed-group">
      <legend>Delivery settings</legend>
      <p className="hint">
        For durable deliveries only; a synchronous call and Test Connection are sent at once.
      </p>
      <Checkbox
        path={`${base}.delivery.ordered`}
        label="FIFO: deliver in order"
        hint="A delivery waits until the earlier ones of this connection in this environment have succeeded or failed."
        checked={draft.ordered}
        disabled={readOnly}
        onChange={(ordered) => onChange({ ordered })}
      />
      <div className="ed-pair">
        <NumberField
          path={`${base}.delivery.maxConcurrency`}
          label="Maximum concurrency"
          value={draft.maxConcurrency}
          min={maxConcurrency.min}
          max={maxConcurrency.max}
          step={1}
          disabled={readOnly}
          onChange={(value) => onChange({ maxConcurrency: value })}
          hint={`Deliveries in flight at once, per Hookline process; ${maxConcurrency.min}–${maxConcurrency.max}, empty for no limit.`}
        />
        <NumberField
          path={`${base}.delivery.ratePerSecond`}
          label="Rate"
          unit="/s"
          value={draft.ratePerSecond}
          min={ratePerSecond.min}
          max={ratePerSecond.max}
          disabled={readOnly}
          onChange={(value) => onChange({ ratePerSecond: value })}
          hint={`Deliveries started per second, per Hookline process; ${ratePerSecond.min}–${ratePerSecond.max.toLocaleString('en')}, empty for no limit.`}
        />
      </div>
    </fieldset>
  );
}
