// The CLI's only way to Hookline: HTTP to /api/v1 with a bearer token (src/cli may not import
// api/, store/ or domains/; the eslint layer rule keeps it that way). The HTTP part is the
// client the web console shares (src/client/http-api.ts); here: where the URL and token come
// from, and file names of downloads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseContentDisposition } from 'content-disposition';
import {
  ApiError,
  createHttpApi,
  UnreachableError,
  type HttpApi,
  type RequestOptions,
} from '../client/http-api.ts';

export { ApiError, UnreachableError, type RequestOptions };

export const defaultUrl = 'http://127.0.0.1:8080';

export interface ClientSettings {
  /** e.g. http://127.0.0.1:8080 (no trailing slash needed) */
  url: string;
  token: string | undefined;
  /** where the token was looked for when none was given, for the UNAUTHENTICATED hint */
  tokenFile: string | undefined;
}

/**
 * `--url`/`--token` flags, then HOOKLINE_URL/HOOKLINE_TOKEN, then the token file the server
 * writes on first start: `<HOOKLINE_DATA_DIR or ./data>/admin-token`.
 */
export function resolveClientSettings(
  flags: { url?: string; token?: string },
  env: Record<string, string | undefined>,
): ClientSettings {
  const url = flags.url ?? env.HOOKLINE_URL ?? defaultUrl;
  const token = flags.token ?? (env.HOOKLINE_TOKEN || undefined);
  if (token) return { url, token, tokenFile: undefined };
  const tokenFile = join(env.HOOKLINE_DATA_DIR || './data', 'admin-token');
  return { url, token: readTokenFile(tokenFile), tokenFile };
}

function readTokenFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface ApiClient extends Omit<HttpApi, 'download'> {
  /** a GET that answers a file (an export), as bytes; an error answer throws as `request` does */
  download(path: string, options?: Pick<RequestOptions, 'query'>): Promise<Download>;
}

/** A file the API answered: its bytes and the name the server gave it. */
export interface Download {
  bytes: Buffer;
  contentType: string | undefined;
  /** Content-Disposition's filename (filename* when given); undefined when there is none */
  fileName: string | undefined;
}

export function createApiClient(settings: ClientSettings, userAgent: string): ApiClient {
  const http = createHttpApi({
    url: settings.url,
    token: settings.token,
    userAgent,
    urlSetting: 'HOOKLINE_URL/--url',
  });
  return {
    url: http.url,
    request: (method, path, options) => http.request(method, path, options),
    listAll: (path, query) => http.listAll(path, query),
    async download(path, options) {
      const answer = await http.download(path, options);
      return {
        bytes: Buffer.from(answer.bytes),
        contentType: answer.contentType,
        fileName: fileNameOf(answer.contentDisposition),
      };
    },
  };
}

/** The file name of a Content-Disposition header, as the server sent it (not yet checked). */
function fileNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return parseContentDisposition(header).parameters.filename;
  } catch {
    return undefined;
  }
}
