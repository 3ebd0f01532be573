import type { HeaderValueSuggestion } from '../../contracts/http-headers.ts';

/** One request header the editor suggests, with the values people typically give it. */
export interface HeaderCatalogEntry {
  /** canonical spelling: `Content-Type`, `traceparent`, `DD-API-KEY` */
  name: string;
  description: string;
  values?: readonly HeaderValueSuggestion[];
}

const value = (text: string, description: string): HeaderValueSuggestion => ({
  value: text,
  description,
});

/** Credentials are suggested as secret references only: a literal would be exported and shown. */
const secretValue = (name: string, what: string) =>
  value(`{{secret.${name}}}`, `${what}, kept in the secret store`);

/**
 * Request headers worth suggesting while a connection is edited: the standard ones (RFC 9110,
 * 9111, 7240), tracing (W3C Trace Context, Zipkin B3, AWS X-Ray), proxies, CloudEvents binary
 * mode, and the vendor headers of the targets the seed names. Only request headers a caller
 * sets; never the hop-by-hop and framing headers of `forbiddenHeaderNames` (the HTTP client
 * owns those), and not `Expect` (undici refuses it). header-catalog.test.ts checks every name
 * and value against the connection contract.
 */
export const headerCatalog: readonly HeaderCatalogEntry[] = [
  // Content negotiation and body
  {
    name: 'Accept',
    description: 'Media types the caller can handle in the response',
    values: [
      value('application/json', 'a JSON response'),
      value('*/*', 'any media type'),
      value('application/xml', 'an XML response'),
      value('text/plain', 'a plain-text response'),
      value('application/problem+json', 'RFC 9457 problem details as well as JSON'),
      value('application/vnd.github+json', 'what the GitHub REST API recommends'),
    ],
  },
  {
    name: 'Accept-Encoding',
    description: 'Compressions the caller can decode in the response',
    values: [
      value('gzip, deflate, br', 'the common compressions'),
      value('gzip', 'gzip only'),
      value('identity', 'no compression'),
    ],
  },
  {
    name: 'Accept-Language',
    description: 'Preferred natural languages for the response',
    values: [value('en-US, en;q=0.9', 'US English, then any English'), value('en', 'English')],
  },
  {
    name: 'Content-Type',
    description: 'Media type of the request body',
    values: [
      value('application/json', 'a JSON body'),
      value('application/json; charset=utf-8', 'a JSON body, charset spelled out'),
      value('application/x-www-form-urlencoded', 'an HTML form body (key=value&…)'),
      value('text/plain; charset=utf-8', 'a plain-text body'),
      value('application/xml', 'an XML body'),
      value('text/xml; charset=utf-8', 'an XML body, as SOAP 1.1 services expect'),
      value('application/soap+xml; charset=utf-8', 'a SOAP 1.2 envelope'),
      value('application/cloudevents+json', 'one CloudEvent in structured mode'),
      value('application/cloudevents-batch+json', 'a batch of CloudEvents'),
      value('application/x-ndjson', 'newline-delimited JSON (bulk and log APIs)'),
      value('application/merge-patch+json', 'an RFC 7396 JSON merge patch'),
      value('application/json-patch+json', 'an RFC 6902 JSON patch'),
    ],
  },
  {
    name: 'Content-Encoding',
    description: 'Compression applied to the request body (the body must really be compressed)',
    values: [value('gzip', 'the body is gzip-compressed')],
  },
  {
    name: 'Range',
    description: 'Asks for part of the response body only',
    values: [value('bytes=0-1023', 'the first 1024 bytes')],
  },

  // Credentials
  {
    name: 'Authorization',
    description: 'Credentials for the target; use a {{secret.NAME}} reference, never a literal',
    values: [
      value('Bearer {{secret.NAME}}', 'an OAuth 2.0 or API bearer token'),
      value('Basic {{secret.NAME}}', 'base64 of user:password'),
      value('Splunk {{secret.NAME}}', 'a Splunk HTTP Event Collector token'),
      value('Token token={{secret.NAME}}', 'a PagerDuty REST API key'),
      value('ApiKey {{secret.NAME}}', 'an Elasticsearch API key'),
    ],
  },
  {
    name: 'Cookie',
    description: 'Cookies for targets that authenticate by session cookie',
    values: [value('session={{secret.NAME}}', 'a session cookie kept in the secret store')],
  },
  {
    name: 'X-Api-Key',
    description: 'API key, as many SaaS APIs (and AWS API Gateway) expect it',
    values: [secretValue('NAME', 'the API key')],
  },
  {
    name: 'Api-Key',
    description: 'API key (Azure OpenAI, New Relic)',
    values: [secretValue('NAME', 'the API key')],
  },
  {
    name: 'X-Auth-Token',
    description: 'Authentication token (OpenStack and others)',
    values: [secretValue('NAME', 'the token')],
  },
  {
    name: 'X-CSRF-Token',
    description: 'Anti-CSRF token for APIs that demand one on writes',
    values: [secretValue('NAME', 'the CSRF token')],
  },

  // Caching and conditional requests
  {
    name: 'Cache-Control',
    description: 'Caching directives for caches between Hookline and the target',
    values: [
      value('no-cache', 'revalidate with the origin before using a cached answer'),
      value('no-store', 'do not store the request or its response'),
      value('max-age=0', 'treat any cached answer as stale'),
    ],
  },
  {
    name: 'Pragma',
    description: 'HTTP/1.0 cache directive, for old caches',
    values: [value('no-cache', 'do not answer from a cache')],
  },
  {
    name: 'If-Match',
    description: 'Apply the request only if the resource still has this ETag',
    values: [
      value('"{{param.etag}}"', 'the ETag passed with the call (optimistic locking)'),
      value('*', 'only if the resource exists'),
    ],
  },
  {
    name: 'If-None-Match',
    description: 'Apply the request only if the resource does not have this ETag',
    values: [
      value('*', 'only if the resource does not exist yet (create once)'),
      value('"{{param.etag}}"', 'the ETag passed with the call (conditional GET)'),
    ],
  },
  { name: 'If-Modified-Since', description: 'Answer only if changed after this HTTP date' },
  { name: 'If-Unmodified-Since', description: 'Apply only if unchanged since this HTTP date' },

  // Intent and identity
  {
    name: 'Idempotency-Key',
    description: 'Lets the target recognise a repeated request and apply it once',
    values: [value('{{param.idempotencyKey}}', 'a unique key passed with each call')],
  },
  {
    name: 'Prefer',
    description: 'Preferences for how the target handles the request (RFC 7240)',
    values: [
      value('return=minimal', 'answer without a body'),
      value('return=representation', 'answer with the changed resource'),
      value('respond-async', 'accept now and process later'),
    ],
  },
  {
    name: 'User-Agent',
    description: 'Identifies the calling software; some APIs (GitHub) refuse calls without one',
    values: [value('Hookline', 'name Hookline as the caller')],
  },
  {
    name: 'From',
    description: 'E-mail address of the person responsible (PagerDuty REST writes require it)',
  },
  { name: 'Origin', description: 'Origin the request claims to come from (CORS-checking APIs)' },
  { name: 'Referer', description: 'Address of the resource the request was made from' },
  {
    name: 'X-Requested-With',
    description: 'Marks a request as made by a script rather than a browser form',
    values: [value('XMLHttpRequest', 'the conventional value')],
  },
  {
    name: 'X-HTTP-Method-Override',
    description: 'Tunnels another method through POST for targets behind strict proxies',
    values: [
      value('PATCH', 'treat the POST as PATCH'),
      value('PUT', 'treat the POST as PUT'),
      value('DELETE', 'treat the POST as DELETE'),
    ],
  },

  // Correlation and tracing
  {
    name: 'X-Request-Id',
    description: 'Identifies this request in the logs of both sides',
    values: [value('{{param.requestId}}', 'the request id passed with the call')],
  },
  {
    name: 'X-Correlation-Id',
    description: 'Ties together every request made for one business transaction',
    values: [value('{{param.correlationId}}', 'the correlation id passed with the call')],
  },
  {
    name: 'X-Trace-Id',
    description: 'Trace id for targets that do not read W3C traceparent',
    values: [value('{{param.traceId}}', 'the trace id passed with the call')],
  },
  {
    name: 'traceparent',
    description: 'W3C Trace Context: version, trace id, parent span id and flags',
    values: [value('{{param.traceparent}}', 'passed on from the caller')],
  },
  {
    name: 'tracestate',
    description: 'W3C Trace Context: vendor-specific trace data',
    values: [value('{{param.tracestate}}', 'passed on from the caller')],
  },
  { name: 'baggage', description: 'W3C Baggage: key=value context propagated with a trace' },
  { name: 'b3', description: 'Zipkin B3 single-header trace context' },
  { name: 'X-B3-TraceId', description: 'Zipkin B3 trace id' },
  { name: 'X-B3-SpanId', description: 'Zipkin B3 span id' },
  {
    name: 'X-B3-Sampled',
    description: 'Zipkin B3 sampling decision',
    values: [value('1', 'sample this trace'), value('0', 'do not sample')],
  },
  { name: 'X-Amzn-Trace-Id', description: 'AWS X-Ray trace header (Root=…;Parent=…;Sampled=…)' },

  // Proxies
  { name: 'Forwarded', description: 'RFC 7239: client address and protocol seen by proxies' },
  { name: 'X-Forwarded-For', description: 'Client address chain as seen by proxies' },
  { name: 'X-Forwarded-Host', description: 'Host the client originally asked for' },
  {
    name: 'X-Forwarded-Proto',
    description: 'Protocol the client originally used',
    values: [value('https', 'the client used HTTPS'), value('http', 'the client used HTTP')],
  },
  { name: 'X-Real-IP', description: 'Client address, as nginx-style proxies pass it' },

  // CloudEvents HTTP binary mode: the event's attributes travel as ce-* headers
  {
    name: 'ce-specversion',
    description: 'CloudEvents binary mode: spec version',
    values: [value('1.0', 'CloudEvents 1.0')],
  },
  { name: 'ce-type', description: 'CloudEvents binary mode: event type, e.g. com.example.order' },
  { name: 'ce-source', description: 'CloudEvents binary mode: URI of the event producer' },
  {
    name: 'ce-id',
    description: 'CloudEvents binary mode: event id, unique per source',
    values: [value('{{param.eventId}}', 'the event id passed with the call')],
  },
  { name: 'ce-time', description: 'CloudEvents binary mode: when the event happened (RFC 3339)' },

  // Vendors
  {
    name: 'DD-API-KEY',
    description: 'Datadog API key (logs, metrics and events intake)',
    values: [secretValue('DATADOG_API_KEY', 'the Datadog API key')],
  },
  {
    name: 'DD-APPLICATION-KEY',
    description: 'Datadog application key (read and management APIs)',
    values: [secretValue('DATADOG_APP_KEY', 'the Datadog application key')],
  },
  {
    name: 'X-Splunk-Request-Channel',
    description: 'Splunk HEC channel (a GUID), needed when indexer acknowledgement is on',
    values: [value('{{var.SPLUNK_CHANNEL}}', 'the channel GUID, per environment')],
  },
  {
    name: 'X-GitHub-Api-Version',
    description: 'GitHub REST API version',
    values: [value('2022-11-28', 'the GitHub REST API version of 28 Nov 2022')],
  },
  {
    name: 'PRIVATE-TOKEN',
    description: 'GitLab personal, project or group access token',
    values: [secretValue('GITLAB_TOKEN', 'the GitLab token')],
  },
  {
    name: 'Ocp-Apim-Subscription-Key',
    description: 'Azure API Management subscription key',
    values: [secretValue('NAME', 'the subscription key')],
  },
  {
    name: 'X-Goog-Api-Key',
    description: 'Google Cloud API key',
    values: [secretValue('NAME', 'the API key')],
  },
  {
    name: 'X-Shopify-Access-Token',
    description: 'Shopify Admin API access token',
    values: [secretValue('SHOPIFY_TOKEN', 'the access token')],
  },
  {
    name: 'Stripe-Version',
    description: 'Stripe API version to use instead of the account default',
  },
  { name: 'Stripe-Account', description: 'Stripe Connect: act on behalf of this account (acct_…)' },
  {
    name: 'Notion-Version',
    description: 'Notion API version (required)',
    values: [value('2022-06-28', 'the Notion API version of 28 Jun 2022')],
  },
  {
    name: 'X-Vault-Token',
    description: 'HashiCorp Vault token',
    values: [secretValue('VAULT_TOKEN', 'the Vault token')],
  },
  {
    name: 'X-Atlassian-Token',
    description: 'Jira/Confluence: skip the XSRF check on attachment uploads',
    values: [value('no-check', 'the value Atlassian documents')],
  },
  {
    name: 'X-Honeycomb-Team',
    description: 'Honeycomb API key',
    values: [secretValue('HONEYCOMB_API_KEY', 'the Honeycomb API key')],
  },
  {
    name: 'anthropic-version',
    description: 'Anthropic API version (required, with x-api-key)',
    values: [value('2023-06-01', 'the Anthropic API version of 1 Jun 2023')],
  },
  { name: 'OpenAI-Organization', description: 'OpenAI organization to bill the request to' },
  { name: 'OpenAI-Project', description: 'OpenAI project to bill the request to' },
];
