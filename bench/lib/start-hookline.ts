import { createApp } from '../../src/api/create-app.ts';
import { systemClock } from '../../src/core/clock.ts';
import { generateToken } from '../../src/domains/access/index.ts';
import { createServices, seedStore, type Services } from '../../src/services.ts';
import { createStore, sqliteFileIn } from '../../src/store/create-store.ts';

export interface BenchTarget {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** sent as `Authorization: Bearer <token>` */
  token: string;
  close(): Promise<void>;
}

/**
 * The real API over the embedded store, started the way main.ts starts it (store → services
 * → seed → bootstrap token → app → listen), on 127.0.0.1:0 and without request logging.
 */
export async function startHookline(
  dataDir: string,
): Promise<BenchTarget & { file: string; services: Services }> {
  const file = sqliteFileIn(dataDir);
  const store = await createStore({ dialect: 'sqlite', file });
  const services = createServices({ store, clock: systemClock });
  await seedStore(services);
  const token = generateToken();
  await services.access.ensureBootstrapToken({ dataDir, bootstrapToken: token });
  const app = await createApp({ services, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    file,
    services,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
