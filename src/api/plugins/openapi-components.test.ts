import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tidyComponents, type OpenApiDocument } from './openapi-components.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });

test('request schemas keep their own name, defaults become words, unused ones go', () => {
  const document: OpenApiDocument = {
    paths: {
      '/things': {
        post: { requestBody: json(ref('ThingInInput')), responses: { 201: json(ref('Thing')) } },
      },
    },
    components: {
      schemas: {
        ThingIn: { type: 'object', required: ['name', 'size'] },
        ThingInInput: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            size: { type: 'integer', default: 3, description: 'how big' },
            default: { type: 'string' },
            part: ref('PartInput'),
          },
          required: ['name'],
        },
        Part: { type: 'object', properties: { on: { type: 'boolean' } }, required: ['on'] },
        PartInput: { type: 'object', properties: { on: { type: 'boolean', default: true } } },
        Thing: {
          type: 'object',
          properties: { part: ref('Part'), note: { anyOf: [{}, { type: 'null' }] } },
        },
        ThingInput: { type: 'object' },
        Unused: { type: 'string' },
      },
    },
  };
  tidyComponents(document);
  const schemas = document.components?.schemas ?? {};
  assert.deepEqual(Object.keys(schemas), ['Part', 'PartInput', 'Thing', 'ThingIn']);
  assert.deepEqual(document.paths?.['/things']?.post, {
    requestBody: json(ref('ThingIn')),
    responses: { 201: json(ref('Thing')) },
  });
  assert.deepEqual(schemas.ThingIn?.properties, {
    name: { type: 'string' },
    size: { type: 'integer', description: 'how big. Default: 3.' },
    default: { type: 'string' },
    part: ref('PartInput'),
  });
  assert.deepEqual(schemas.PartInput, {
    type: 'object',
    properties: { on: { type: 'boolean', description: 'Default: true.' } },
  });
  assert.deepEqual(schemas.Thing?.properties, { part: ref('Part'), note: {} });
});
