// Writes openapi.json from the running code's zod schemas. The drift test
// (test/api/openapi-drift.int.test.ts) fails when the committed file is stale: run
// `npm run openapi` after changing a route or a contract.
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../test/helpers/openapi-document.ts';

const document = await buildOpenApiDocument();
writeFileSync(
  new URL('../openapi.json', import.meta.url),
  `${JSON.stringify(document, null, 2)}\n`,
);
process.stdout.write('openapi.json written\n');
