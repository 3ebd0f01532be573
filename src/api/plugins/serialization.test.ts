import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { createSerializerCompiler } from './serialization.ts';

const signing = z.discriminatedUnion('scheme', [
  z.object({ scheme: z.literal('standard-webhooks'), secret: z.string() }),
  z.object({ scheme: z.literal('hmac-sha256'), secret: z.string(), header: z.string() }),
]);
const answer = z.object({
  id: z.string(),
  project: z.string().nullable(),
  note: z.string().optional(),
  environments: z.record(
    z.string(),
    z.object({
      url: z.string(),
      headers: z.array(z.object({ name: z.string(), value: z.string() })),
      signing: signing.nullable(),
    }),
  ),
  details: z.record(z.string(), z.unknown()).optional(),
});

const serializerFor = (validateResponses: boolean) =>
  createSerializerCompiler({ validateResponses })({
    schema: answer,
    method: 'GET',
    url: '/x',
    httpStatus: '200',
  });

const value = {
  id: 'con_1',
  project: null,
  environments: {
    production: {
      url: 'https://example.com',
      headers: [{ name: 'X-A', value: '1' }],
      signing: { scheme: 'hmac-sha256', secret: '{{secret.S}}', header: 'X-Sig' },
    },
    test: { url: 'http://t', headers: [], signing: null },
  },
  details: { nested: { a: [1, 'two', null] } },
};

describe('response serializer', () => {
  for (const validate of [false, true]) {
    test(`writes exactly what JSON.stringify would for a valid answer (validate: ${validate})`, () => {
      assert.deepEqual(JSON.parse(serializerFor(validate)(value)), value);
    });

    test(`leaves out fields the schema does not declare (validate: ${validate})`, () => {
      const leaky = {
        ...value,
        passwordHash: 'scrypt$…',
        environments: {
          production: { ...value.environments.production, resolvedSecret: 'hunter2' },
        },
      };
      const text = serializerFor(validate)(leaky);
      assert.ok(!text.includes('passwordHash'), text);
      assert.ok(!text.includes('hunter2'), text);
    });
  }

  test('with validateResponses, an answer that breaks its schema is an error, not a reply', () => {
    assert.throws(
      () => serializerFor(true)({ ...value, id: 42 }),
      /the answer of GET \/x does not match its schema/,
    );
  });
});
