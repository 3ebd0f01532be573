import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

interface LogLine {
  level: number;
  msg: string;
  req?: { url?: string };
  res?: { statusCode?: number };
  reqId?: string;
}

/** A server logging at `level` into memory, and the lines it wrote. */
async function startLoggingApi(
  kind: Parameters<typeof startTestApi>[0],
  level: 'info' | 'debug',
): Promise<{ api: TestApi; lines: LogLine[] }> {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const text of String(chunk).split('\n')) {
        if (text !== '') lines.push(JSON.parse(text) as LogLine);
      }
      done();
    },
  });
  const api = await startTestApi(kind, { logger: pino({ level }, sink) });
  return { api, lines };
}

/** The request ids of the lines that name `url` (the "incoming request" line carries it). */
function requestIdsOf(lines: LogLine[], url: string): Set<string> {
  return new Set(
    lines.filter((line) => line.req?.url === url && line.reqId).map((line) => line.reqId!),
  );
}

for (const kind of testStores()) {
  describe(`request logging on ${kind.name}`, () => {
    let info: { api: TestApi; lines: LogLine[] };
    let debug: { api: TestApi; lines: LogLine[] };
    before(async () => {
      info = await startLoggingApi(kind, 'info');
      debug = await startLoggingApi(kind, 'debug');
    });
    after(async () => {
      await info.api.close();
      await debug.api.close();
    });

    test('at info, /healthz and /metrics write no line per request; other requests still do', async () => {
      for (let i = 0; i < 3; i++) {
        assert.equal(
          (await info.api.request('GET', '/healthz', undefined, { token: null })).status,
          200,
        );
        assert.equal((await info.api.request('GET', '/metrics')).status, 200);
      }
      assert.equal((await info.api.request('GET', '/api/v1/environments')).status, 200);

      const named = (url: string) =>
        info.lines.filter((line) => JSON.stringify(line).includes(url));
      assert.deepEqual(named('/healthz'), [], 'a /healthz request was logged at info');
      assert.deepEqual(named('/metrics'), [], 'a /metrics request was logged at info');
      // every line of the probes' requests: none (no "request completed" without a URL either)
      const probeIds = new Set(
        info.lines.filter((line) => line.reqId !== undefined).map((line) => line.reqId),
      );
      const environmentIds = requestIdsOf(info.lines, '/api/v1/environments');
      assert.equal(environmentIds.size, 1, 'the API request is logged at info');
      assert.equal(probeIds.size, 1, `only the API request wrote lines: ${[...probeIds].join()}`);
      const completed = info.lines.filter(
        (line) => line.msg === 'request completed' && environmentIds.has(line.reqId!),
      );
      assert.equal(completed.length, 1);
    });

    test('at debug, the probes are logged, at debug level', async () => {
      await debug.api.request('GET', '/healthz', undefined, { token: null });
      await debug.api.request('GET', '/metrics');
      for (const url of ['/healthz', '/metrics']) {
        const ids = requestIdsOf(debug.lines, url);
        assert.equal(ids.size, 1, `${url} was not logged at debug`);
        const lines = debug.lines.filter((line) => ids.has(line.reqId!));
        assert.deepEqual(
          lines.map((line) => [line.msg, line.level]),
          [
            ['incoming request', 20],
            ['request completed', 20],
          ],
          url,
        );
      }
    });
  });
}
