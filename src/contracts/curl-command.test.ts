import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import {
  buildCurlCommand,
  paramPlaceholder,
  placeholdersOf,
  secretPlaceholder,
  shellWord,
} from './curl-command.ts';

/** The words a POSIX shell makes of `command` (curl replaced by printf), with `env` set. */
function wordsOf(command: string, env: Record<string, string> = {}): string[] {
  const printed = execFileSync('/bin/sh', ['-c', command.replace(/curl/, `printf '%s\\0'`)], {
    env: { PATH: process.env.PATH, ...env },
  });
  return printed.toString('utf8').split('\0').slice(0, -1);
}

test('placeholders are HOOKLINE_SECRET_/HOOKLINE_PARAM_ and the name upper-cased, other characters as _', () => {
  assert.equal(secretPlaceholder('api-key.v2'), 'HOOKLINE_SECRET_API_KEY_V2');
  assert.equal(paramPlaceholder('orderId'), 'HOOKLINE_PARAM_ORDERID');
});

test('a word without references is single-quoted: nothing in it is interpreted', () => {
  const text = `it's $HOME and \`date\` "quoted" \\ !`;
  assert.equal(shellWord('plain'), `'plain'`);
  assert.deepEqual(wordsOf(`curl ${shellWord(text)}`), [text]);
});

test('a word with a secret reference is double-quoted around its placeholder, the rest kept literally', () => {
  const word = shellWord('Authorization: Bearer {{secret.api-key}}');
  assert.equal(word, `"Authorization: Bearer $HOOKLINE_SECRET_API_KEY"`);
  const tricky = shellWord('a"b$c`d\\e!f {{ secret.T }}x');
  assert.deepEqual(wordsOf(`curl ${tricky}`, { HOOKLINE_SECRET_T: 'VALUE' }), [
    'a"b$c`d\\e!f VALUEx',
  ]);
  // a name character after the placeholder: braces, or it would join the variable's name
  assert.match(tricky, /\$\{HOOKLINE_SECRET_T\}x"$/);
});

test('the command carries method, URL, headers and body; run, it makes those arguments', () => {
  const request = {
    method: 'post',
    url: 'https://example.test/hooks/{{param.id}}?token={{secret.Q}}&a[]=1',
    headers: { 'Content-Type': 'application/json', 'X-Key': '{{secret.K}}' },
    body: `{"text":"it's {{secret.K}}"}`,
  };
  const command = buildCurlCommand(request);
  assert.ok(command.includes('--globoff'), command);
  assert.deepEqual(placeholdersOf(request), [
    'HOOKLINE_PARAM_ID',
    'HOOKLINE_SECRET_Q',
    'HOOKLINE_SECRET_K',
  ]);
  const env = { HOOKLINE_PARAM_ID: '7', HOOKLINE_SECRET_Q: 'qqqqqqqq', HOOKLINE_SECRET_K: 'k k' };
  assert.deepEqual(wordsOf(command, env), [
    '-X',
    'POST',
    '--globoff',
    'https://example.test/hooks/7?token=qqqqqqqq&a[]=1',
    '-H',
    'Content-Type: application/json',
    '-H',
    'X-Key: k k',
    '--data-binary',
    `{"text":"it's k k"}`,
  ]);
});

test('a base64 body is piped in through base64 -d, byte for byte; HEAD uses --head', () => {
  const bytes = Buffer.from([0, 1, 2, 255, 39, 10]);
  const command = buildCurlCommand({
    method: 'PUT',
    url: 'http://127.0.0.1/x',
    headers: [['Content-Type', 'application/octet-stream']],
    body: bytes.toString('base64'),
    bodyEncoding: 'base64',
  });
  assert.match(command, /^printf '%s' '[A-Za-z0-9+/=]+' \| base64 -d \| curl -X PUT/);
  assert.ok(command.endsWith('--data-binary @-'), command);
  const piped = execFileSync('/bin/sh', ['-c', command.split(' | curl')[0] as string]);
  assert.deepEqual(piped, bytes);
  assert.equal(
    buildCurlCommand({ method: 'HEAD', url: 'http://h/', headers: {} }),
    `curl --head 'http://h/'`,
  );
});
