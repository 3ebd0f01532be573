// The server's messages as a console user reads them (the API's own wording is for API users).

/** The console's page for each collection the API's advice names (`/api/v1/<collection>`). */
const consolePages: Record<string, string> = {
  certificates: 'the Certificates page',
  keystores: 'the Key stores page',
  secrets: 'the Secrets page',
  variables: 'the Variables page',
};

/**
 * A server message as a console user reads it: the API's advice "(add it under
 * /api/v1/certificates first)" names the page instead — a console user is not sent to the API.
 */
export function consoleWording(message: string): string {
  return message.replace(
    /\(add it under \/api\/v1\/([a-z-]+) first\)/g,
    (advice, collection: string) =>
      consolePages[collection] ? `(add it on ${consolePages[collection]} first)` : advice,
  );
}
