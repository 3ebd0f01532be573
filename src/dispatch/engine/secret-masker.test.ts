import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSecretMasker, type SecretMasker } from './secret-masker.ts';

// characters every encoding changes: a quote, a plus, a slash, a space, an at sign, an equals
const secret = 's3cr"et+/ v@lue=';

function maskerOf(...values: string[]): SecretMasker {
  const masker = createSecretMasker(values);
  assert.ok(masker);
  return masker;
}

/** The forms an echo can hand a value back in. */
function encodedForms(value: string): Record<string, string> {
  const bytes = Buffer.from(value, 'utf8');
  return {
    raw: value,
    'JSON-escaped': JSON.stringify(value).slice(1, -1),
    'JSON-escaped twice': JSON.stringify(JSON.stringify(value).slice(1, -1)).slice(1, -1),
    'JSON with \\/ (PHP)': JSON.stringify(value).slice(1, -1).replaceAll('/', '\\/'),
    'JSON, ASCII only (Python)': JSON.stringify(value)
      .slice(1, -1)
      .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    encodeURIComponent: encodeURIComponent(value),
    'encodeURIComponent, lower-case hex': encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (h) =>
      h.toLowerCase(),
    ),
    'form-encoded (+ for a space)': new URLSearchParams({ k: value }).toString().slice(2),
    'WHATWG URL query': new URL(`http://h/p?k=${value}`).search.slice(3),
    'percent-encoded twice': encodeURIComponent(encodeURIComponent(value)),
    'JSON-escaped, then percent-encoded': encodeURIComponent(JSON.stringify(value).slice(1, -1)),
    'base64 of the JSON-escaped value': Buffer.from(JSON.stringify(value).slice(1, -1)).toString(
      'base64',
    ),
    base64: bytes.toString('base64'),
    base64url: bytes.toString('base64url'),
    'base64 at offset 1': Buffer.concat([Buffer.from('u'), bytes]).toString('base64'),
    'base64 at offset 2': Buffer.concat([Buffer.from('us'), bytes, Buffer.from('!')]).toString(
      'base64',
    ),
  };
}

describe('createSecretMasker', () => {
  test('masks every encoded form of a secret, in text and in bytes', () => {
    const masker = maskerOf(secret, 'another-secret-value');
    for (const [form, encoded] of Object.entries(encodedForms(secret))) {
      const text = `{"echo":"${encoded}","n":1}`;
      const masked = masker.maskByteString(text);
      assert.ok(!masked.includes(encoded), `${form}: ${masked}`);
      assert.match(masked, /^\{"echo":"[^"]*\*\*\*\*[^"]*","n":1\}$/, `${form}: ${masked}`);
      const bytes = masker.maskBytes(Buffer.from(text)).toString('utf8');
      assert.equal(bytes, masked, form);
    }
  });

  test('masks a non-ASCII secret as UTF-8 bytes, \\u escapes and percent-encoded bytes', () => {
    const value = 'pässwörd-🔑-geheim';
    const masker = maskerOf(value);
    for (const [form, encoded] of Object.entries(encodedForms(value))) {
      const masked = masker.maskBytes(Buffer.from(`<${encoded}>`)).toString('utf8');
      assert.equal(masked.includes('****'), true, `${form}: ${masked}`);
      assert.ok(!masked.includes(encoded), form);
    }
    assert.equal(masker.maskText(`a ${value} b`), 'a **** b');
    const upper = JSON.stringify(value)
      .slice(1, -1)
      .replace(
        /[^\x20-\x7e]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
      );
    assert.equal(masker.maskText(upper), '****');
  });

  test('masks every occurrence, and leaves other text alone', () => {
    const masker = maskerOf(secret);
    assert.equal(
      masker.maskByteString(`a ${secret} b ${encodeURIComponent(secret)} c`),
      'a **** b **** c',
    );
    const plain = Buffer.from('nothing to see here, {"ok":true}');
    assert.equal(masker.maskBytes(plain), plain, 'nothing masked: the same buffer');
  });

  test('a secret cut at the preview edge does not show its first characters', () => {
    const masker = maskerOf(secret);
    const body = Buffer.from(`0123456789${JSON.stringify(secret).slice(1, -1)}tail`);
    for (let shown = 11; shown <= 10 + secret.length + 1; shown++) {
      const masked = masker.maskBytes(body, shown).toString('latin1');
      assert.equal(masked, '0123456789****', `cut after ${shown} bytes`);
    }
    assert.equal(masker.maskBytes(body, 10).toString(), '0123456789');
    assert.equal(masker.maskBytes(body, 200).toString(), '0123456789****tail');
    assert.equal(masker.maskBytes(body, body.length + 2).toString(), '0123456789****tail');
    assert.ok(masker.lookaheadBytes >= JSON.stringify(JSON.stringify(secret)).length - 3);
  });

  test('overlapping secrets are masked as one span', () => {
    const masker = maskerOf('abcdefgh1234', '1234zyxwvuts');
    assert.equal(masker.maskByteString('>abcdefgh1234zyxwvuts<'), '>****<');
    assert.equal(masker.maskByteString('>1234zyxwvuts abcdefgh1234<'), '>**** ****<');
  });

  test('a secret inside another: the longer one is masked whole', () => {
    const masker = maskerOf('inner-secret', 'outer-inner-secret-value');
    assert.equal(masker.maskByteString('[outer-inner-secret-value]'), '[****]');
    assert.equal(masker.maskByteString('[inner-secret]'), '[****]');
    const reversed = maskerOf('outer-inner-secret-value', 'inner-secret');
    assert.equal(reversed.maskByteString('[outer-inner-secret-value]'), '[****]');
  });

  test('a target that knows a secret cannot make masking take exponential time', () => {
    for (const value of [`${'\\'.repeat(24)}x`, `${'%'.repeat(24)}x`, `${'\\%'.repeat(12)}x`]) {
      const masker = maskerOf(value);
      for (const filler of ['\\', '%', '%25', '\\%25', '%5C']) {
        const text = filler.repeat(Math.ceil(20_000 / filler.length));
        const startedAt = performance.now();
        assert.equal(masker.maskByteString(text), text);
        const ms = performance.now() - startedAt;
        assert.ok(ms < 1000, `${JSON.stringify(value)} over ${filler}…: ${ms} ms`);
      }
      for (const [form, encoded] of Object.entries(encodedForms(value))) {
        assert.ok(masker.maskByteString(`<${encoded}>`).includes('****'), `${form} of ${value}`);
      }
    }
  });

  test('values shorter than 8 characters are not masked; none at all: no masker', () => {
    assert.equal(createSecretMasker(['short', '1234567']), null);
    assert.equal(createSecretMasker([]), null);
    const masker = maskerOf('short', '12345678');
    assert.equal(masker.maskByteString('short 12345678'), 'short ****');
  });
});
