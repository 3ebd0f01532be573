import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utf8ByteLength } from './utf8.ts';

test('counts UTF-8 bytes as Buffer.byteLength does, surrogates and all', () => {
  const samples = [
    '',
    'plain ascii',
    'café',
    'Grüße aus Köln',
    '日本語のヘッダー',
    'emoji 🎉 and 👩‍💻',
    '\u{10FFFF}',
    'lone high \ud800 surrogate',
    'lone low \udc00 surrogate',
    'high at the end \ud83d',
    'x'.repeat(5000),
  ];
  for (const text of samples) {
    assert.equal(utf8ByteLength(text), Buffer.byteLength(text, 'utf8'), JSON.stringify(text));
  }
});
