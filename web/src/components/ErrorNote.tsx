import { ApiError } from '../api/client.ts';

/** What an error says to a person: the API's code and message, or the failure's message. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

export function ErrorNote({ error }: { error: unknown }) {
  return (
    <p className="banner error" role="alert">
      {errorText(error)}
    </p>
  );
}
