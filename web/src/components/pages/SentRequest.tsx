import { Fragment } from 'react';
import { buildCurlCommand, type CurlRequest } from '../../../../src/contracts/curl-command.ts';
import { CopyButton } from './CopyButton.tsx';
import './sent-request.css';

// a secret's reference in a stored request or a deployed one (curl-command.ts writes the same)
const referencePattern = /(\{\{\s*(?:secret|param)\.[A-Za-z_][A-Za-z0-9_.-]*\s*\}\})/;

/**
 * Text with each `{{secret.NAME}}` shown as a masked chip naming the secret (the value was
 * never stored) and each `{{param.NAME}}` as a reference to fill.
 */
export function WithReferences({ text }: { text: string }) {
  const parts = text.split(referencePattern);
  return (
    <>
      {parts.map((part, index) => {
        if (index % 2 === 0) return <Fragment key={index}>{part}</Fragment>;
        const [, namespace = '', name = ''] = /\{\{\s*(\w+)\.([^\s}]+)/.exec(part) ?? [];
        return (
          <span
            key={index}
            className={`reference ${namespace}`}
            title={
              namespace === 'secret'
                ? `the value of secret ${name}, masked`
                : `the value of param ${name}, given per call`
            }
          >
            {part}
          </span>
        );
      })}
    </>
  );
}

/**
 * A request as Hookline sent it (or would send it): method and URL, headers, the body
 * excerpt, and the curl command that makes it again with the secrets read from
 * `$HOOKLINE_SECRET_*` (never their values, which were never stored).
 */
export function SentRequest({
  request,
  label,
  truncated = false,
}: {
  request: CurlRequest;
  /** names the command and the request for assistive technology ("attempt 2") */
  label: string;
  truncated?: boolean;
}) {
  const curl = buildCurlCommand(request);
  const headers = Array.isArray(request.headers)
    ? (request.headers as Array<[string, string]>)
    : Object.entries(request.headers);
  const body = request.body ?? '';
  return (
    <div className="sent-request">
      <pre className="code-block" tabIndex={0} aria-label={`Request of ${label}`}>
        <strong>{request.method}</strong> <WithReferences text={request.url} />
        {headers.map(([name, value]) => (
          <Fragment key={name}>
            {'\n'}
            {name}: <WithReferences text={value} />
          </Fragment>
        ))}
        {body !== '' && (
          <>
            {'\n\n'}
            {request.bodyEncoding === 'base64' ? (
              `(binary, base64) ${body}`
            ) : (
              <WithReferences text={body} />
            )}
          </>
        )}
      </pre>
      {truncated && (
        <p className="row-note">
          Only the body&apos;s first 2 KiB were kept: the command sends that part.
        </p>
      )}
      <div className="curl-head">
        <CopyButton text={curl} label={`Copy as curl (${label})`} />
      </div>
      <pre className="code-block curl" tabIndex={0} aria-label={`curl command of ${label}`}>
        <code>{curl}</code>
      </pre>
    </div>
  );
}
