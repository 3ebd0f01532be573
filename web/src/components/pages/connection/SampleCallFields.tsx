// The fields of a sample call: environment, body (JSON, text or none) and call parameters.
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { Environment } from '../../../../../src/contracts/environments.ts';
import { paramNamesOf, type BodyFormat, type SampleCall } from './sampleCall.ts';

export function SampleCallFields({
  connection,
  environments,
  call,
  problem,
  onChange,
}: {
  connection: Connection;
  environments: Environment[];
  call: SampleCall;
  problem: { field: string; message: string } | null;
  onChange(call: SampleCall): void;
}) {
  const configured = environments.filter((env) => env.id in connection.environments);
  const setParam = (index: number, part: 'name' | 'value', text: string) =>
    onChange({
      ...call,
      params: call.params.map((param, at) => (at === index ? { ...param, [part]: text } : param)),
    });
  return (
    <>
      <div className="cx-choices">
        <div className="field">
          <label htmlFor="call-environment">Environment</label>
          <select
            id="call-environment"
            value={call.environment}
            onChange={(event) => {
              const environment = event.target.value;
              // keep the values typed; add the names the new environment needs
              const have = new Set(call.params.map((param) => param.name));
              const needed = paramNamesOf(connection, environment).filter((n) => !have.has(n));
              onChange({
                ...call,
                environment,
                params: [...call.params, ...needed.map((name) => ({ name, value: '' }))],
              });
            }}
          >
            {configured.map((env) => (
              <option key={env.id} value={env.id}>
                {env.name}
                {connection.deployments?.[env.id]
                  ? ` (runs revision ${connection.deployments[env.id]?.revision})`
                  : ' (not deployed)'}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="call-format">Body</label>
          <select
            id="call-format"
            value={call.format}
            onChange={(event) => onChange({ ...call, format: event.target.value as BodyFormat })}
          >
            <option value="json">JSON</option>
            <option value="text">Text, sent as typed</option>
            <option value="none">No body</option>
          </select>
        </div>
      </div>
      {call.format !== 'none' && (
        <div className="field">
          <label htmlFor="call-body">Sample body</label>
          <textarea
            id="call-body"
            className="cx-body"
            value={call.body}
            spellCheck={false}
            aria-invalid={problem?.field === 'body'}
            aria-describedby={problem?.field === 'body' ? 'call-problem' : undefined}
            onChange={(event) => onChange({ ...call, body: event.target.value })}
          />
        </div>
      )}
      <fieldset className="fieldset">
        <legend>Parameters</legend>
        <p className="hint">
          Values for <code>{'{{param.NAME}}'}</code> in the URL, headers and body.
        </p>
        {call.params.length > 0 && (
          <div className="cx-params">
            {call.params.map((param, index) => (
              <div key={index} style={{ display: 'contents' }}>
                <input
                  aria-label={`Parameter ${index + 1} name`}
                  value={param.name}
                  spellCheck={false}
                  placeholder="name"
                  onChange={(event) => setParam(index, 'name', event.target.value)}
                />
                <input
                  aria-label={`Value of ${param.name || `parameter ${index + 1}`}`}
                  value={param.value}
                  spellCheck={false}
                  placeholder="value"
                  onChange={(event) => setParam(index, 'value', event.target.value)}
                />
                <button
                  type="button"
                  className="button small"
                  aria-label={`Remove ${param.name || `parameter ${index + 1}`}`}
                  onClick={() =>
                    onChange({ ...call, params: call.params.filter((_, at) => at !== index) })
                  }
                >
                  ✕
                </button>
              </div>
            ))}
          </div>
        )}
        <button
          type="button"
          className="button small cx-add"
          onClick={() => onChange({ ...call, params: [...call.params, { name: '', value: '' }] })}
        >
          + Add parameter
        </button>
      </fieldset>
      {problem && (
        <p className="banner error" role="alert" id="call-problem">
          {problem.message}
        </p>
      )}
    </>
  );
}
