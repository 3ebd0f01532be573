// The console's API client: the shared HTTP client (src/client) over this page's origin, with
// the session cookie (sent by the browser) and the session's CSRF token on every change.
import { createHttpApi, type RequestOptions } from '../../../src/client/http-api.ts';

export { ApiError, UnreachableError } from '../../../src/client/http-api.ts';

let csrfToken: string | null = null;
/** told when an answer says the session ended (401), so the app can go to the login page */
let onSessionEnded: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function whenSessionEnds(listener: () => void): void {
  onSessionEnded = listener;
}

/**
 * told when an answer says the user must first choose their own password (403
 * PASSWORD_CHANGE_REQUIRED: someone else set it since the page loaded), so the app can take
 * them to the password change
 */
let onPasswordChangeRequired: () => void = () => {};

export function whenPasswordChangeRequired(listener: () => void): void {
  onPasswordChangeRequired = listener;
}

const http = createHttpApi({
  url: window.location.origin,
  changeHeaders: (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {}),
});

export async function api<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
  try {
    return await http.request<T>(method, `/api/v1${path}`, options);
  } catch (error) {
    const { status, code } = error as { status?: number; code?: string };
    if (status === 401 && path !== '/session') onSessionEnded();
    if (status === 403 && code === 'PASSWORD_CHANGE_REQUIRED') onPasswordChangeRequired();
    throw error;
  }
}

export const get = <T>(path: string, query?: RequestOptions['query']) =>
  api<T>('GET', path, { query });
