import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { createSerializerCompiler, withNullableScalarsAsTypeLists } from './serialization.ts';

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

  test('nullable scalars are written as values or null, and a wrong type is still refused', () => {
    const schema = z.object({
      status: z.int().nullable(),
      message: z.string().nullable(),
      ratio: z.number().nullable(),
      flag: z.boolean().nullable(),
    });
    const stringify = createSerializerCompiler()({
      schema,
      method: 'POST',
      url: '/y',
      httpStatus: '200',
    });
    const filled = { status: 200, message: 'a "quoted" \\ text', ratio: 0.25, flag: false };
    const empty = { status: null, message: null, ratio: null, flag: null };
    assert.deepEqual(JSON.parse(stringify(filled)), filled);
    assert.deepEqual(JSON.parse(stringify(empty)), empty);
    assert.throws(() => stringify({ ...empty, status: 'two hundred' }));
  });

  test('only a nullable scalar loses its anyOf; a nullable object or a wider union is kept as is', () => {
    const original = z.toJSONSchema(
      z.object({
        status: z.int().nullable().describe('the status'),
        peer: z.object({ subject: z.string() }).nullable(),
        either: z.union([z.string(), z.int(), z.null()]),
      }),
      { target: 'draft-7', io: 'output' },
    ) as { properties: Record<string, Record<string, unknown>> };
    const rewritten = withNullableScalarsAsTypeLists(original) as typeof original;
    const { status, peer, either } = rewritten.properties;
    assert.deepEqual(status?.type, ['integer', 'null']);
    assert.equal(status?.description, 'the status');
    assert.equal(status?.anyOf, undefined);
    assert.ok(Array.isArray(peer?.anyOf));
    assert.deepEqual(peer, original.properties.peer);
    assert.deepEqual(either, original.properties.either);
  });
});
