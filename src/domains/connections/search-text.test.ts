import assert from 'node:assert/strict';
import { test } from 'node:test';
import { searchTextOf, urlAuthorityOf } from './search-text.ts';

test('the authority of a URL is its host and port as written, templates included', () => {
  assert.equal(urlAuthorityOf('https://Hooks.Slack.com/services/T0'), 'Hooks.Slack.com');
  assert.equal(urlAuthorityOf('http://127.0.0.1:8080?x=1'), '127.0.0.1:8080');
  assert.equal(urlAuthorityOf('https://{{var.HOST}}.example.com#top'), '{{var.HOST}}.example.com');
  assert.equal(urlAuthorityOf('https://api.example.com'), 'api.example.com');
});

test('the search text holds each host once and the description, lower-cased', () => {
  const text = searchTextOf({
    description: 'Paging for the Ops ÉQUIPE',
    environments: {
      test: { url: 'https://hooks.slack.com/a' },
      production: { url: 'https://HOOKS.slack.com/b' },
      development: { url: 'http://localhost:9000/c' },
    } as never,
  });
  assert.equal(text, 'hooks.slack.com\nlocalhost:9000\npaging for the ops équipe');
});
