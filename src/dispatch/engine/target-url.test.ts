import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { test } from 'node:test';
import { compileEgressPolicy } from '../egress/index.ts';
import type { PreparedTarget } from './prepare-target.ts';
import { parseTargetUrl, staticOriginOf } from './target-url.ts';

const policy = compileEgressPolicy({ allowLoopback: false });

function targetFor(urlTemplate: string): PreparedTarget {
  return {
    policy,
    hostDecisions: new Map(),
    staticOrigin: staticOriginOf(urlTemplate, { policy }),
  } as unknown as PreparedTarget;
}

/** What the URL parser makes of it: the reference the fast path must match. */
function parsedByUrl(text: string) {
  const url = new URL(text);
  return {
    href: url.href,
    origin: url.origin,
    path: url.pathname + url.search,
    hostname: url.hostname,
  };
}

test('a fixed origin is found only when no template comes before the path', () => {
  assert.equal(
    staticOriginOf('https://api.example.com:8443/v1/{{param.id}}', { policy })?.origin,
    'https://api.example.com:8443',
  );
  assert.equal(staticOriginOf('http://[::1]:8080/x', { policy })?.hostname, '[::1]');
  for (const template of [
    'https://{{var.HOST}}/x',
    'https://api.example.com{{param.path}}',
    'https://api.example.com',
    'https://user:pw@api.example.com/x',
    'HTTPS://API.example.com/x',
    'https://api.example.com:443/x',
    'not a url/x',
  ]) {
    assert.equal(staticOriginOf(template, { policy }), null, template);
  }
});

test('the egress decision of a fixed IP-literal origin is made once and kept', () => {
  const target = targetFor('http://169.254.169.254/latest/{{param.p}}');
  assert.ok(target.staticOrigin?.refused, 'metadata address refused');
  const parsed = parseTargetUrl(target, 'http://169.254.169.254/latest/meta-data');
  assert.ok(parsed.refused);
});

test('paths parsed without a URL object are exactly what the URL parser gives', () => {
  const target = targetFor('https://api.example.com/hooks/{{param.id}}');
  const cases = [
    '/hooks/123',
    '/hooks/a%20b?x=1&y=%2F',
    '/hooks/..',
    '/hooks/../admin',
    '/hooks/./x',
    '/hooks/%2e%2E/x',
    '/hooks/.%2e',
    '/hooks/a b',
    "/hooks/it's?q='",
    '/hooks/x#frag',
    '/hooks/ü',
    '/hooks/a\\b',
    '/hooks/{x}',
    '/hooks/x?a=..&b=/./',
    '/hooks/..x/.y',
    '/',
  ];
  const alphabet = 'abcXYZ019-._~!$&\'()*+,;=:@/%?#. \\"<>`{}^|[]ü';
  for (let i = 0; i < 2000; i++) {
    let path = '/';
    for (let n = randomInt(12); n > 0; n--) path += alphabet[randomInt(alphabet.length)];
    cases.push(path);
  }
  for (const path of cases) {
    const text = `https://api.example.com${path}`;
    let expected;
    try {
      expected = parsedByUrl(text);
    } catch {
      assert.throws(() => parseTargetUrl(target, text), `${path} should not parse`);
      continue;
    }
    const { refused, ...got } = parseTargetUrl(target, text);
    assert.equal(refused, null);
    assert.deepEqual(got, expected, `path ${JSON.stringify(path)}`);
  }
});
