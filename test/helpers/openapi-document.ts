import { createApp } from '../../src/api/create-app.ts';
import { systemClock } from '../../src/core/clock.ts';
import { createServices } from '../../src/services.ts';
import { testStores } from './test-stores.ts';

/** The OpenAPI document as the app generates it (over a throw-away SQLite store). */
export async function buildOpenApiDocument(): Promise<unknown> {
  const sqlite = testStores().find((kind) => kind.name === 'sqlite');
  if (!sqlite) throw new Error('no SQLite test store');
  const { store, cleanup } = await sqlite.open();
  try {
    const app = await createApp({
      services: createServices({ store, clock: systemClock }),
      logger: false,
    });
    await app.ready();
    const document = app.swagger();
    await app.close();
    return document;
  } finally {
    await cleanup();
  }
}
