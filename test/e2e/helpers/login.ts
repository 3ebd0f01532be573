import assert from 'node:assert/strict';

/** What a console login answers: the session cookie and the CSRF token changes need. */
export interface LoginSession {
  cookie: string;
  csrfToken: string;
  mustChangePassword: boolean;
}

/** `POST /api/v1/session` as the console does; throws with the answer when it is not 200. */
export async function logIn(
  url: string,
  username: string,
  password: string,
): Promise<LoginSession> {
  const response = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as Record<string, any>;
  assert.equal(response.status, 200, `login of ${username}: ${JSON.stringify(body)}`);
  const cookie = /^([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  assert.ok(cookie, 'the login answer sets a session cookie');
  return { cookie, csrfToken: body.csrfToken, mustChangePassword: body.user.mustChangePassword };
}

/**
 * An API token of `username`: tokens are made for the caller, so log in as them and
 * `POST /api/v1/tokens` with the session cookie and its X-CSRF-Token. A user whose password
 * someone else set changes it to `newPassword` first (until then they can mint no token).
 * Answers the token value.
 */
export async function createTokenAs(
  url: string,
  username: string,
  password: string,
  name: string,
  newPassword?: string,
): Promise<string> {
  const session = await logIn(url, username, password);
  const headers = {
    'content-type': 'application/json',
    cookie: session.cookie,
    'x-csrf-token': session.csrfToken,
  };
  if (session.mustChangePassword) {
    assert.ok(newPassword, `${username} must change their password before making a token`);
    const changed = await fetch(`${url}/api/v1/users/me/password`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ currentPassword: password, newPassword }),
    });
    assert.equal(changed.status, 204, `password change of ${username}: ${await changed.text()}`);
  }
  const response = await fetch(`${url}/api/v1/tokens`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
    },
    body: JSON.stringify({ name }),
  });
  const body = (await response.json()) as Record<string, any>;
  assert.equal(response.status, 201, `token of ${username}: ${JSON.stringify(body)}`);
  return body.token;
}
