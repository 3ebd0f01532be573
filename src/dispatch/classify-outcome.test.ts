import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errors } from 'undici';
import { outcomeCodes, type OutcomeCode } from '../contracts/outcomes.ts';
import {
  classifyError,
  classifyStatus,
  isRetryable,
  recognisedErrorCodes,
  type ReachedTarget,
} from './classify-outcome.ts';
import { hintFor } from './outcome-hints.ts';

/** An error shaped as Node's net/dns layer makes them (internal/errors.js UVExceptionWithHostPort). */
function systemError(code: string, syscall: string, message = `${syscall} ${code}`): Error {
  return Object.assign(new Error(message), { code, errno: -1, syscall });
}

/** Node's TLS verification errors carry only a code (tls_wrap.js verifyError → error.code). */
function tlsError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

/** An error the engine raises with one of its own codes. */
function engineError(code: string): Error {
  return Object.assign(new Error(`engine refused: ${code}`), { code });
}

const socketInfo = (bytesRead: number) => ({
  localAddress: '127.0.0.1',
  localPort: 50000,
  remoteAddress: '127.0.0.1',
  remotePort: 8443,
  remoteFamily: 'IPv4',
  timeout: undefined,
  bytesWritten: 120,
  bytesRead,
});

type Row = [code: string, make: () => unknown, outcome: OutcomeCode, reached: 'no' | 'maybe'];

// One row per recognised code (recognisedErrorCodes), built the way undici or Node build it.
const rows: Row[] = [
  // the engine's own refusals
  ['EGRESS_BLOCKED', () => engineError('EGRESS_BLOCKED'), 'EGRESS_BLOCKED', 'no'],
  ['TEMPLATE_UNRESOLVED', () => engineError('TEMPLATE_UNRESOLVED'), 'TEMPLATE_UNRESOLVED', 'no'],
  ['INVALID_REQUEST', () => engineError('INVALID_REQUEST'), 'INVALID_REQUEST', 'no'],
  ['POOL_EXHAUSTED', () => engineError('POOL_EXHAUSTED'), 'POOL_EXHAUSTED', 'no'],
  ['REQUEST_TIMEOUT', () => engineError('REQUEST_TIMEOUT'), 'REQUEST_TIMEOUT', 'maybe'],
  // undici 8
  [
    'UND_ERR_CONNECT_TIMEOUT',
    () =>
      new errors.ConnectTimeoutError(
        'Connect Timeout Error (attempted address: 127.0.0.1:8443, timeout: 2000ms)',
      ),
    'CONNECT_TIMEOUT',
    'no',
  ],
  ['UND_ERR_HEADERS_TIMEOUT', () => new errors.HeadersTimeoutError(), 'REQUEST_TIMEOUT', 'maybe'],
  ['UND_ERR_BODY_TIMEOUT', () => new errors.BodyTimeoutError(), 'REQUEST_TIMEOUT', 'maybe'],
  [
    'UND_ERR_SOCKET',
    () => Object.assign(new errors.SocketError('other side closed'), { socket: socketInfo(17) }),
    'CONNECTION_RESET',
    'maybe',
  ],
  ['UND_ERR_INFO', () => new errors.InformationalError('reset'), 'CONNECTION_RESET', 'maybe'],
  [
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    () => new errors.ResponseContentLengthMismatchError(),
    'CONNECTION_RESET',
    'maybe',
  ],
  ['UND_ERR_ABORTED', () => new errors.RequestAbortedError(), 'REQUEST_TIMEOUT', 'maybe'],
  [
    'UND_ERR_ABORT',
    () => new (errors as any).AbortError('The operation was aborted'),
    'REQUEST_TIMEOUT',
    'maybe',
  ],
  [
    'UND_ERR_RES_EXCEEDED_MAX_SIZE',
    () => new errors.ResponseExceededMaxSizeError(),
    'RESPONSE_TOO_LARGE',
    'maybe',
  ],
  [
    'UND_ERR_HEADERS_OVERFLOW',
    () => new errors.HeadersOverflowError(),
    'RESPONSE_TOO_LARGE',
    'maybe',
  ],
  ['UND_ERR_CLOSED', () => new errors.ClientClosedError(), 'CONNECTION_RESET', 'no'],
  ['UND_ERR_DESTROYED', () => new errors.ClientDestroyedError(), 'CONNECTION_RESET', 'maybe'],
  // Node net
  [
    'ECONNREFUSED',
    () => systemError('ECONNREFUSED', 'connect', 'connect ECONNREFUSED 127.0.0.1:1'),
    'CONNECT_REFUSED',
    'no',
  ],
  ['EHOSTUNREACH', () => systemError('EHOSTUNREACH', 'connect'), 'CONNECT_REFUSED', 'no'],
  ['ENETUNREACH', () => systemError('ENETUNREACH', 'connect'), 'CONNECT_REFUSED', 'no'],
  ['EHOSTDOWN', () => systemError('EHOSTDOWN', 'connect'), 'CONNECT_REFUSED', 'no'],
  ['EADDRNOTAVAIL', () => systemError('EADDRNOTAVAIL', 'connect'), 'CONNECT_REFUSED', 'no'],
  ['ECONNRESET', () => systemError('ECONNRESET', 'read'), 'CONNECTION_RESET', 'maybe'],
  ['EPIPE', () => systemError('EPIPE', 'write'), 'CONNECTION_RESET', 'maybe'],
  ['ECONNABORTED', () => systemError('ECONNABORTED', 'read'), 'CONNECTION_RESET', 'maybe'],
  ['ETIMEDOUT', () => systemError('ETIMEDOUT', 'read'), 'REQUEST_TIMEOUT', 'maybe'],
  ['EPROTO', () => systemError('EPROTO', 'write'), 'TLS_FAILED', 'no'],
  // TLS: certificate verification and Node's TLS codes
  ['CERT_HAS_EXPIRED', () => tlsError('CERT_HAS_EXPIRED'), 'TLS_FAILED', 'no'],
  ['CERT_NOT_YET_VALID', () => tlsError('CERT_NOT_YET_VALID'), 'TLS_FAILED', 'no'],
  [
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    () => tlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
    'TLS_FAILED',
    'no',
  ],
  ['SELF_SIGNED_CERT_IN_CHAIN', () => tlsError('SELF_SIGNED_CERT_IN_CHAIN'), 'TLS_FAILED', 'no'],
  [
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () => tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
    'TLS_FAILED',
    'no',
  ],
  ['UNABLE_TO_GET_ISSUER_CERT', () => tlsError('UNABLE_TO_GET_ISSUER_CERT'), 'TLS_FAILED', 'no'],
  [
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    () => tlsError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'),
    'TLS_FAILED',
    'no',
  ],
  ['CERT_SIGNATURE_FAILURE', () => tlsError('CERT_SIGNATURE_FAILURE'), 'TLS_FAILED', 'no'],
  ['CERT_REVOKED', () => tlsError('CERT_REVOKED'), 'TLS_FAILED', 'no'],
  ['CERT_UNTRUSTED', () => tlsError('CERT_UNTRUSTED'), 'TLS_FAILED', 'no'],
  ['CERT_REJECTED', () => tlsError('CERT_REJECTED'), 'TLS_FAILED', 'no'],
  ['INVALID_CA', () => tlsError('INVALID_CA'), 'TLS_FAILED', 'no'],
  ['INVALID_PURPOSE', () => tlsError('INVALID_PURPOSE'), 'TLS_FAILED', 'no'],
  ['PATH_LENGTH_EXCEEDED', () => tlsError('PATH_LENGTH_EXCEEDED'), 'TLS_FAILED', 'no'],
  ['HOSTNAME_MISMATCH', () => tlsError('HOSTNAME_MISMATCH'), 'TLS_FAILED', 'no'],
  [
    'ERR_TLS_CERT_ALTNAME_INVALID',
    () =>
      tlsError(
        'ERR_TLS_CERT_ALTNAME_INVALID',
        "Hostname/IP does not match certificate's altnames: Host: wrong.example.",
      ),
    'TLS_FAILED',
    'no',
  ],
  [
    'ERR_TLS_CERT_ALTNAME_FORMAT',
    () => tlsError('ERR_TLS_CERT_ALTNAME_FORMAT'),
    'TLS_FAILED',
    'no',
  ],
  ['ERR_TLS_HANDSHAKE_TIMEOUT', () => tlsError('ERR_TLS_HANDSHAKE_TIMEOUT'), 'TLS_FAILED', 'no'],
  [
    'ERR_TLS_INVALID_PROTOCOL_VERSION',
    () => tlsError('ERR_TLS_INVALID_PROTOCOL_VERSION'),
    'TLS_FAILED',
    'no',
  ],
  [
    'ERR_TLS_PROTOCOL_VERSION_CONFLICT',
    () => tlsError('ERR_TLS_PROTOCOL_VERSION_CONFLICT'),
    'TLS_FAILED',
    'no',
  ],
  [
    'ERR_TLS_RENEGOTIATION_DISABLED',
    () => tlsError('ERR_TLS_RENEGOTIATION_DISABLED'),
    'TLS_FAILED',
    'no',
  ],
  ['ERR_INVALID_PRIVATE_KEY', () => tlsError('ERR_INVALID_PRIVATE_KEY'), 'TLS_FAILED', 'no'],
  [
    'ERR_SSL_WRONG_VERSION_NUMBER',
    () =>
      tlsError(
        'ERR_SSL_WRONG_VERSION_NUMBER',
        'error:0A00010B:SSL routines:tls_validate_record_header:wrong version number',
      ),
    'TLS_FAILED',
    'no',
  ],
  [
    'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    () => tlsError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'),
    'TLS_FAILED',
    'no',
  ],
  [
    'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
    () => tlsError('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'),
    'TLS_FAILED',
    'no',
  ],
  [
    'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
    () => tlsError('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'),
    'TLS_FAILED',
    'no',
  ],
  [
    'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
    () => tlsError('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED'),
    'TLS_FAILED',
    'no',
  ],
  [
    'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    () => tlsError('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'),
    'TLS_FAILED',
    'no',
  ],
  [
    // OpenSSL 3 spells this reason with a slash; Node keeps it in the code (measured, Node 24.21)
    'ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE',
    () => tlsError('ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE'),
    'TLS_FAILED',
    'no',
  ],
  [
    'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    () => tlsError('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'),
    'TLS_FAILED',
    'no',
  ],
  [
    'ERR_SSL_UNSUPPORTED_PROTOCOL',
    () => tlsError('ERR_SSL_UNSUPPORTED_PROTOCOL'),
    'TLS_FAILED',
    'no',
  ],
  // DNS: getaddrinfo (dns.lookup) and c-ares (dns.resolve*) codes
  [
    'ENOTFOUND',
    () => systemError('ENOTFOUND', 'getaddrinfo', 'getaddrinfo ENOTFOUND hooks.invalid'),
    'DNS_FAILED',
    'no',
  ],
  ['EAI_AGAIN', () => systemError('EAI_AGAIN', 'getaddrinfo'), 'DNS_FAILED', 'no'],
  ['EAI_FAIL', () => systemError('EAI_FAIL', 'getaddrinfo'), 'DNS_FAILED', 'no'],
  ['EAI_NODATA', () => systemError('EAI_NODATA', 'getaddrinfo'), 'DNS_FAILED', 'no'],
  ['EAI_NONAME', () => systemError('EAI_NONAME', 'getaddrinfo'), 'DNS_FAILED', 'no'],
  ['ENODATA', () => systemError('ENODATA', 'queryA'), 'DNS_FAILED', 'no'],
  ['ESERVFAIL', () => systemError('ESERVFAIL', 'queryA'), 'DNS_FAILED', 'no'],
  ['EREFUSED', () => systemError('EREFUSED', 'queryAaaa'), 'DNS_FAILED', 'no'],
  ['ETIMEOUT', () => systemError('ETIMEOUT', 'queryA'), 'DNS_FAILED', 'no'],
  ['EFORMERR', () => systemError('EFORMERR', 'queryA'), 'DNS_FAILED', 'no'],
  ['EBADNAME', () => systemError('EBADNAME', 'queryA'), 'DNS_FAILED', 'no'],
  ['EBADRESP', () => systemError('EBADRESP', 'queryA'), 'DNS_FAILED', 'no'],
  ['ENOTIMP', () => systemError('ENOTIMP', 'queryA'), 'DNS_FAILED', 'no'],
];

describe('classifyError', () => {
  for (const [code, make, outcome, reached] of rows) {
    test(`classifies ${code} as ${outcome} (reached the target: ${reached})`, () => {
      const classified = classifyError(make());
      assert.equal(classified.outcome, outcome);
      assert.equal(classified.reachedTarget, reached);
      assert.equal(classified.errorCode, code);
      assert.ok(classified.message.endsWith(`(${code})`), classified.message);
    });
  }

  test('has a row above for every code it recognises, and no row for a code it does not', () => {
    const covered = rows.map(([code]) => code);
    assert.deepEqual(
      recognisedErrorCodes.filter((code) => !covered.includes(code)),
      [],
      'codes without a test row',
    );
    assert.deepEqual(
      covered.filter((code) => !recognisedErrorCodes.includes(code)),
      [],
      'rows for codes the mapping does not name',
    );
    assert.equal(new Set(covered).size, covered.length, 'a code has two rows');
  });

  test('tells a connect-phase ETIMEDOUT (never sent) from one during the exchange', () => {
    const connect = classifyError(systemError('ETIMEDOUT', 'connect'));
    assert.deepEqual([connect.outcome, connect.reachedTarget], ['CONNECT_TIMEOUT', 'no']);
    const read = classifyError(systemError('ETIMEDOUT', 'read'));
    assert.deepEqual([read.outcome, read.reachedTarget], ['REQUEST_TIMEOUT', 'maybe']);
  });

  test('counts an ECONNREFUSED from the resolver as DNS_FAILED, not as a refused target', () => {
    const classified = classifyError(systemError('ECONNREFUSED', 'queryA'));
    assert.equal(classified.outcome, 'DNS_FAILED');
  });

  test('counts an egress refusal raised inside the DNS lookup as EGRESS_BLOCKED', () => {
    const error = Object.assign(engineError('EGRESS_BLOCKED'), { syscall: 'getaddrinfo' });
    assert.equal(classifyError(error).outcome, 'EGRESS_BLOCKED');
  });

  test('counts a socket closed during the TLS handshake as TLS_FAILED, never sent', () => {
    const error = systemError(
      'ECONNRESET',
      '',
      'Client network socket disconnected before secure TLS connection was established',
    );
    const classified = classifyError(error);
    assert.deepEqual([classified.outcome, classified.reachedTarget], ['TLS_FAILED', 'no']);
  });

  test('classifies other OpenSSL codes (ERR_SSL_*, ERR_OSSL_*) as TLS_FAILED', () => {
    for (const code of ['ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', 'ERR_OSSL_UNSUPPORTED']) {
      const classified = classifyError(tlsError(code));
      assert.deepEqual([classified.outcome, classified.reachedTarget], ['TLS_FAILED', 'no'], code);
    }
  });

  test('classifies an answer that is not HTTP as CONNECTION_RESET, with or without an HPE code', () => {
    const HTTPParserError = errors.HTTPParserError as unknown as new (
      message: string,
      code?: string,
      data?: Buffer,
    ) => Error;
    const withCode = new HTTPParserError('Invalid status', 'INVALID_STATUS', Buffer.from('x'));
    const without = new HTTPParserError('Response does not match the HTTP/1.1 protocol');
    for (const error of [withCode, without]) {
      const classified = classifyError(error);
      assert.deepEqual(
        [classified.outcome, classified.reachedTarget],
        ['CONNECTION_RESET', 'maybe'],
      );
      assert.match(classified.message, /not valid HTTP/);
    }
  });

  test('says whether the target closed before answering or in the middle of its answer', () => {
    const before = Object.assign(new errors.SocketError('other side closed'), {
      socket: socketInfo(0),
    });
    assert.match(classifyError(before).message, /without answering/);
    const during = Object.assign(new errors.SocketError('other side closed'), {
      socket: socketInfo(64),
    });
    assert.match(classifyError(during).message, /middle of its answer/);
  });

  test('classifies the DOMExceptions of AbortSignal.timeout() and abort() as REQUEST_TIMEOUT', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const abort = new DOMException('This operation was aborted', 'AbortError');
    assert.equal(classifyError(timeout).outcome, 'REQUEST_TIMEOUT');
    assert.equal(classifyError(abort).outcome, 'REQUEST_TIMEOUT');
  });

  test('looks down the cause chain and into an AggregateError of happy-eyeballs attempts', () => {
    const wrapped = new TypeError('fetch failed', {
      cause: systemError('ENOTFOUND', 'getaddrinfo'),
    });
    assert.equal(classifyError(wrapped).outcome, 'DNS_FAILED');
    // Node's NodeAggregateError takes the code of its first error
    const aggregate = Object.assign(
      new AggregateError([
        systemError('ECONNREFUSED', 'connect', 'connect ECONNREFUSED ::1:8080'),
        systemError('ECONNREFUSED', 'connect', 'connect ECONNREFUSED 127.0.0.1:8080'),
      ]),
      { code: 'ECONNREFUSED' },
    );
    assert.equal(classifyError(aggregate).outcome, 'CONNECT_REFUSED');
    const codeless = new AggregateError([new Error('odd'), systemError('EHOSTUNREACH', 'connect')]);
    assert.equal(classifyError(codeless).outcome, 'CONNECT_REFUSED');
  });

  test('stops on a cause cycle', () => {
    const a: any = new Error('a');
    const b: any = new Error('b', { cause: a });
    a.cause = b;
    assert.equal(classifyError(a).outcome, 'CONNECTION_RESET');
  });

  test('classifies anything it does not know as CONNECTION_RESET that may have reached the target', () => {
    for (const error of [new TypeError('x is not a function'), 'a string', undefined, 42]) {
      const classified = classifyError(error);
      assert.deepEqual(
        [classified.outcome, classified.reachedTarget],
        ['CONNECTION_RESET', 'maybe'],
      );
    }
    assert.equal(classifyError(new TypeError('boom')).message, 'The request failed (TypeError)');
  });

  test('never repeats the raw error message, which may carry a URL, header value or body', () => {
    const secret = 'Bearer sk_live_51Hq';
    const raw = [
      Object.assign(new Error(`getaddrinfo ENOTFOUND ${secret}`), {
        code: 'ENOTFOUND',
        syscall: 'getaddrinfo',
      }),
      Object.assign(new Error(`weird ${secret}`), { code: 'ESOMETHING' }),
      new Error(`https://hooks.example/x?token=${secret}`),
      new (errors.HTTPParserError as any)('bad', 'INVALID_CONSTANT', Buffer.from(secret)),
    ];
    for (const error of raw) {
      const { message } = classifyError(error);
      assert.ok(!message.includes('sk_live'), message);
      assert.ok(!message.includes('hooks.example'), message);
    }
  });
});

describe('classifyStatus', () => {
  const cases: Array<[number, OutcomeCode]> = [
    [200, 'OK'],
    [201, 'OK'],
    [204, 'OK'],
    [299, 'OK'],
    [301, 'HTTP_4XX'],
    [302, 'HTTP_4XX'],
    [304, 'HTTP_4XX'],
    [307, 'HTTP_4XX'],
    [400, 'HTTP_4XX'],
    [401, 'HTTP_AUTH'],
    [403, 'HTTP_AUTH'],
    [404, 'HTTP_4XX'],
    [407, 'HTTP_4XX'],
    [422, 'HTTP_4XX'],
    [429, 'HTTP_429'],
    [499, 'HTTP_4XX'],
    [500, 'HTTP_5XX'],
    [502, 'HTTP_5XX'],
    [503, 'HTTP_5XX'],
    [599, 'HTTP_5XX'],
    [101, 'HTTP_5XX'],
    [600, 'HTTP_5XX'],
  ];
  for (const [status, outcome] of cases) {
    test(`classifies ${status} as ${outcome}`, () => {
      assert.equal(classifyStatus(status), outcome);
    });
  }
});

describe('isRetryable', () => {
  const ask = (
    outcome: OutcomeCode,
    reachedTarget: ReachedTarget,
    method: string,
    hasIdempotencyKey = false,
    status?: number,
  ) => isRetryable({ outcome, reachedTarget, method, hasIdempotencyKey, status });

  test('retries a failure that never reached the target, whatever the method', () => {
    for (const outcome of [
      'DNS_FAILED',
      'CONNECT_REFUSED',
      'CONNECT_TIMEOUT',
      'TLS_FAILED',
      'POOL_EXHAUSTED',
    ] as const) {
      assert.equal(ask(outcome, 'no', 'POST'), true, outcome);
      assert.equal(ask(outcome, 'no', 'PATCH'), true, outcome);
    }
  });

  test('does not repeat a refusal of our own: the same configuration would refuse again', () => {
    for (const outcome of ['EGRESS_BLOCKED', 'TEMPLATE_UNRESOLVED', 'INVALID_REQUEST'] as const) {
      assert.equal(ask(outcome, 'no', 'GET'), false, outcome);
    }
  });

  test('retries a failure that may have reached the target only for idempotent methods', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE', 'get', 'put']) {
      assert.equal(ask('CONNECTION_RESET', 'maybe', method), true, method);
      assert.equal(ask('REQUEST_TIMEOUT', 'maybe', method), true, method);
    }
    for (const method of ['POST', 'PATCH', 'post']) {
      assert.equal(ask('CONNECTION_RESET', 'maybe', method), false, method);
      assert.equal(ask('REQUEST_TIMEOUT', 'maybe', method), false, method);
      assert.equal(ask('HTTP_5XX', 'yes', method), false, method);
      assert.equal(ask('HTTP_429', 'yes', method), false, method);
    }
  });

  test('retries a POST that carries an idempotency key after a 5xx, 429, reset or timeout', () => {
    assert.equal(ask('HTTP_5XX', 'yes', 'POST', true, 503), true);
    assert.equal(ask('HTTP_429', 'yes', 'POST', true, 429), true);
    assert.equal(ask('CONNECTION_RESET', 'maybe', 'POST', true), true);
    assert.equal(ask('REQUEST_TIMEOUT', 'maybe', 'PATCH', true), true);
  });

  test('does not repeat what would come back the same: OK, 4xx, 401/403, a too-large answer', () => {
    assert.equal(ask('OK', 'yes', 'GET', true, 200), false);
    assert.equal(ask('HTTP_4XX', 'yes', 'GET', true, 404), false);
    assert.equal(ask('HTTP_4XX', 'yes', 'PUT', true), false);
    assert.equal(ask('HTTP_4XX', 'yes', 'GET', true, 301), false);
    assert.equal(ask('HTTP_AUTH', 'yes', 'GET', true, 401), false);
    assert.equal(ask('RESPONSE_TOO_LARGE', 'maybe', 'GET', true), false);
  });

  test('repeats 408 and 425 like a 5xx', () => {
    assert.equal(ask('HTTP_4XX', 'yes', 'GET', false, 408), true);
    assert.equal(ask('HTTP_4XX', 'yes', 'POST', true, 425), true);
    assert.equal(ask('HTTP_4XX', 'yes', 'POST', false, 408), false);
  });
});

describe('hintFor', () => {
  test('gives every failure outcome one actionable sentence, and OK none', () => {
    assert.equal(hintFor('OK'), undefined);
    assert.equal(hintFor('OK', 200), undefined);
    for (const outcome of outcomeCodes.filter((code) => code !== 'OK')) {
      const hint = hintFor(outcome);
      assert.ok(hint, outcome);
      assert.match(hint, /^[A-Z].*\.$/s, outcome);
      assert.ok(!hint.includes('\n'), outcome);
      assert.ok(hint.length <= 300, `${outcome}: ${hint.length} characters`);
    }
  });

  test("follows the seed's troubleshooting table", () => {
    assert.match(hintFor('HTTP_4XX')!, /URL and HTTP method.*mandatory headers.*payload/);
    assert.match(hintFor('HTTP_5XX')!, /health.*rate limit/);
    assert.match(hintFor('TLS_FAILED')!, /certificate chain/);
    assert.match(hintFor('REQUEST_TIMEOUT')!, /network delay.*requestTimeoutMs/);
    assert.match(hintFor('CONNECT_TIMEOUT')!, /connectivity.*connectTimeoutMs/);
    assert.match(hintFor('HTTP_AUTH')!, /credentials.*permissions/);
    assert.match(hintFor('POOL_EXHAUSTED')!, /poolSize/);
  });

  test('points a 429 and a 503 to Retry-After', () => {
    assert.match(hintFor('HTTP_429', 429)!, /Retry-After/);
    assert.match(hintFor('HTTP_5XX', 503)!, /Retry-After/);
  });

  test('sharpens the hint for common statuses and falls back to the outcome hint', () => {
    assert.match(hintFor('HTTP_4XX', 301)!, /redirected \(301\).*Location/);
    assert.match(hintFor('HTTP_4XX', 404)!, /URL path/);
    assert.match(hintFor('HTTP_4XX', 405)!, /method/);
    assert.notEqual(hintFor('HTTP_AUTH', 401), hintFor('HTTP_AUTH', 403));
    assert.equal(hintFor('HTTP_4XX', 418), hintFor('HTTP_4XX'));
    assert.equal(hintFor('HTTP_5XX', 500), hintFor('HTTP_5XX'));
  });
});
