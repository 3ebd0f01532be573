// The connection editor's pure rules, without a browser: which header values are masked, how a
// server message is worded for a console user, how Delivery settings become the API's body.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isReferencesOnly } from '../../web/src/components/editor/checks.ts';
import {
  bodyOf,
  draftOf,
  newDraft,
  newEnvironmentDraft,
} from '../../web/src/components/editor/draft.ts';
import { consoleWording } from '../../web/src/components/editor/server-wording.ts';

describe('editor: header values that are only references', () => {
  for (const [value, only] of [
    ['{{secret.TOKEN}}', true],
    ['Bearer {{secret.TOKEN}}', true],
    ['{{var.USER}}:{{secret.PASSWORD}}', true],
    ['Bearer {{secret.TO', true], // still being typed
    ['', false],
    ['Bearer abc123', false],
    ['abc{{secret.TOKEN}}', false],
    ['{{secret.TOKEN}} and-a-literal', false],
  ] as const) {
    test(`${JSON.stringify(value)} is ${only ? '' : 'not '}only references`, () => {
      assert.equal(isReferencesOnly(value), only);
    });
  }
});

test("a server's advice to use the API names the console's page instead", () => {
  assert.equal(
    consoleWording("unknown certificate 'CA' (add it under /api/v1/certificates first)"),
    "unknown certificate 'CA' (add it on the Certificates page first)",
  );
  assert.equal(consoleWording('url is required'), 'url is required');
});

test('Delivery settings and the retry max age go into the body only when set, and come back', () => {
  const draft = newDraft('development');
  const env = draft.environments.development ?? newEnvironmentDraft();
  env.url = 'https://example.com/hook';
  assert.equal(bodyOf(draft).environments?.development?.delivery, undefined);
  Object.assign(env, {
    ordered: true,
    maxConcurrency: '4',
    ratePerSecond: '2.5',
    retryOn: true,
    maxAgeSeconds: '3600',
  });
  const body = bodyOf(draft);
  const params = body.environments?.development;
  assert.deepEqual(params?.delivery, { ordered: true, maxConcurrency: 4, ratePerSecond: 2.5 });
  assert.equal(params?.retry?.maxAgeSeconds, 3600);
  const back = draftOf({
    ...body,
    id: 'c1',
    project: 'default',
    global: false,
    revision: 1,
    createdAt: '',
    createdBy: '',
    updatedAt: '',
    updatedBy: '',
    environments: body.environments,
  } as never).environments.development;
  assert.equal(back?.ordered, true);
  assert.equal(back?.maxConcurrency, '4');
  assert.equal(back?.ratePerSecond, '2.5');
  assert.equal(back?.maxAgeSeconds, '3600');
});
