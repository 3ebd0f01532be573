import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import openapiTS, { astToString } from 'openapi-typescript';

const fromRepo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'hookline-generated-client-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A user's typed client: openapi-typescript with its default options over openapi.json (the drift
// test keeps that file the document the server serves), and openapi-fetch. The checked-in
// program (sample-client/sample-client.ts) creates a connection with only the required fields,
// invokes with only the environment, filters a list by booleans and reads error answers: it
// must compile against what is generated, as the user's would.
test('a program using a client generated from openapi.json by openapi-typescript compiles', async () => {
  const types = astToString(await openapiTS(new URL('../../openapi.json', import.meta.url)));
  writeFileSync(join(dir, 'hookline-api.ts'), types);
  copyFileSync(
    fromRepo('test/contract/sample-client/sample-client.ts'),
    join(dir, 'sample-client.ts'),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2024',
        lib: ['es2024', 'dom'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        allowImportingTsExtensions: true,
        skipLibCheck: true,
        types: [],
        // the temporary directory has no node_modules of its own
        paths: { 'openapi-fetch': [fromRepo('node_modules/openapi-fetch')] },
      },
      files: ['sample-client.ts'],
    }),
  );
  const tsc = spawnSync(
    process.execPath,
    [fromRepo('node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')],
    { encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(tsc.status, 0, `tsc found errors:\n${tsc.stdout}${tsc.stderr}`);
});
