import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, describeConfig, loadConfig } from './load-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'hookline-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Asserts that loading fails with a ConfigError whose message matches every pattern. */
function assertConfigError(load: () => unknown, ...patterns: RegExp[]): string {
  let message = '';
  assert.throws(load, (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    message = error.message;
    return true;
  });
  for (const pattern of patterns) assert.match(message, pattern);
  return message;
}

const token = 'hl_bootstrap-0123456789abcdefghijklmnopqrstuv';
/** the outbound runtime's defaults, in every loaded configuration */
const runtimeDefaults = {
  poolSize: 24,
  poolQueue: 1000,
  maxResponseBytes: 10 * 1024 * 1024,
  sqliteSynchronous: 'FULL',
  deliveryRetentionDays: 7,
  deliveryFailedRetentionDays: 0,
  deliveryLeaseSeconds: 120,
  sessionIdleMinutes: 60,
  sessionMaxHours: 12,
  loginMaxFailures: 10,
  loginMaxFailuresPerUser: 100,
  loginMaxFailuresPerAddress: 50,
  loginWindowSeconds: 900,
  apiRateLimitPerMinute: 3000,
  apiReadRateLimitPerMinute: 30_000,
  requestTimeoutMs: 30_000,
  revisionRetention: 100,
  auditRetentionDays: 365,
  approvalExpiryHours: 24,
  trustProxy: 'false',
};

describe('loadConfig', () => {
  test('starts from the defaults', () => {
    assert.deepEqual(loadConfig(), {
      port: 8080,
      host: '127.0.0.1',
      dataDir: './data',
      logLevel: 'info',
      ...runtimeDefaults,
    });
    assert.ok(Object.isFrozen(loadConfig()));
  });

  test('takes HOOKLINE_* variables and DATABASE_URL over the defaults', () => {
    const config = loadConfig({
      env: {
        HOOKLINE_PORT: '9090',
        HOOKLINE_HOST: '0.0.0.0',
        HOOKLINE_DATA_DIR: '/var/lib/hookline',
        HOOKLINE_LOG_LEVEL: 'debug',
        DATABASE_URL: 'postgres://hookline@db:5432/hookline',
        HOOKLINE_BOOTSTRAP_TOKEN: token,
        UNRELATED: 'ignored',
      },
    });
    assert.deepEqual(config, {
      port: 9090,
      host: '0.0.0.0',
      dataDir: '/var/lib/hookline',
      logLevel: 'debug',
      databaseUrl: 'postgres://hookline@db:5432/hookline',
      bootstrapToken: token,
      ...runtimeDefaults,
    });
  });

  test('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ env: { HOOKLINE_PORT: '' } }).port, 8080);
  });

  test('lets flags override the environment', () => {
    const config = loadConfig({
      env: { HOOKLINE_PORT: '9090', HOOKLINE_HOST: '0.0.0.0' },
      flags: { port: '7070', dataDir: '/tmp/h' },
    });
    assert.equal(config.port, 7070);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, '/tmp/h');
  });

  test('reads a YAML file, which the environment and flags override', () => {
    const file = configFile(
      'hookline.yaml',
      'port: 6060\nhost: 10.0.0.1\nlogLevel: warn\ndataDir: /srv/hookline\n',
    );
    assert.deepEqual(loadConfig({ file }), {
      port: 6060,
      host: '10.0.0.1',
      logLevel: 'warn',
      dataDir: '/srv/hookline',
      ...runtimeDefaults,
    });
    const layered = loadConfig({
      file,
      env: { HOOKLINE_LOG_LEVEL: 'error', HOOKLINE_PORT: '5050' },
      flags: { port: 4040 },
    });
    assert.deepEqual([layered.port, layered.logLevel, layered.host], [4040, 'error', '10.0.0.1']);
  });

  test('finds the file through HOOKLINE_CONFIG', () => {
    const file = configFile('via-env.yaml', 'port: 6161\n');
    assert.equal(loadConfig({ env: { HOOKLINE_CONFIG: file } }).port, 6161);
  });

  test('reads an empty file as no settings', () => {
    assert.equal(loadConfig({ file: configFile('empty.yaml', '') }).port, 8080);
  });

  test('stops on HOOKLINE_PORT=abc, naming the variable and the value', () => {
    assertConfigError(
      () => loadConfig({ env: { HOOKLINE_PORT: 'abc' } }),
      /HOOKLINE_PORT/,
      /"abc"/,
    );
  });

  // A blank HOOKLINE_PORT must not become port 0 (a random port) nor 1e3 become 1000.
  test('stops on a port not written as a whole number, naming HOOKLINE_PORT', () => {
    for (const port of [' ', '1e3', '0x50', '-0', '80.5']) {
      assertConfigError(() => loadConfig({ env: { HOOKLINE_PORT: port } }), /HOOKLINE_PORT/);
    }
  });

  test('stops on a bad flag and a bad file value, naming each', () => {
    assertConfigError(() => loadConfig({ flags: { port: '70000' } }), /--port/);
    const file = configFile('bad-level.yaml', 'logLevel: loud\n');
    assertConfigError(() => loadConfig({ file }), new RegExp(`${file}: logLevel`), /"loud"/);
  });

  test('stops on an unknown key in the file, naming the key and the file', () => {
    const file = configFile('unknown.yaml', 'port: 8081\nlisten: 0.0.0.0\n');
    assertConfigError(() => loadConfig({ file }), /unknown setting listen/, new RegExp(file));
  });

  test('stops on a file that cannot be read or is not a mapping', () => {
    assertConfigError(() => loadConfig({ file: join(dir, 'missing.yaml') }), /cannot read/);
    assertConfigError(
      () => loadConfig({ file: configFile('list.yaml', '- a\n- b\n') }),
      /must hold a mapping/,
    );
    assertConfigError(
      () => loadConfig({ file: configFile('broken.yaml', 'port: [1,\n') }),
      /not valid YAML/,
    );
  });

  test('never echoes a refused credential', () => {
    const message = assertConfigError(
      () =>
        loadConfig({
          env: { HOOKLINE_BOOTSTRAP_TOKEN: 'short-secret', DATABASE_URL: 'mysql://u:pw-9@db/x' },
        }),
      /HOOKLINE_BOOTSTRAP_TOKEN/,
      /DATABASE_URL/,
    );
    assert.ok(!message.includes('short-secret'));
    assert.ok(!message.includes('pw-9'));
  });
});

describe('masterKey (HOOKLINE_MASTER_KEY)', () => {
  const hexKey = 'a1'.repeat(32);
  const base64Key = Buffer.alloc(32, 7).toString('base64');

  test('accepts 32 bytes as 64 hex characters or as base64, from the environment or a file', () => {
    assert.equal(loadConfig({ env: { HOOKLINE_MASTER_KEY: hexKey } }).masterKey, hexKey);
    assert.equal(loadConfig({ env: { HOOKLINE_MASTER_KEY: base64Key } }).masterKey, base64Key);
    const file = configFile('key.yaml', `masterKey: ${hexKey}\n`);
    assert.equal(loadConfig({ file }).masterKey, hexKey);
  });

  test('stops on a key that is not 32 bytes, naming the variable and never the value', () => {
    for (const bad of ['a1'.repeat(31), 'not-a-key-at-all', Buffer.alloc(16).toString('base64')]) {
      const message = assertConfigError(
        () => loadConfig({ env: { HOOKLINE_MASTER_KEY: bad } }),
        /HOOKLINE_MASTER_KEY/,
        /64 hex characters or as base64/,
      );
      assert.ok(!message.includes(bad), message);
    }
  });

  test('is masked by describeConfig and has no command-line flag', () => {
    const shown = describeConfig(loadConfig({ env: { HOOKLINE_MASTER_KEY: hexKey } }));
    assert.equal(shown.masterKey, '****');
    assert.ok(!JSON.stringify(shown).includes(hexKey));
    assert.equal(loadConfig({ flags: { masterKey: hexKey } }).masterKey, undefined);
  });
});

describe('describeConfig', () => {
  test('masks the DATABASE_URL password and keeps the rest of the URL', () => {
    const shown = describeConfig(
      loadConfig({ env: { DATABASE_URL: 'postgres://hookline:s3cr3t@db.internal:5432/hookline' } }),
    );
    assert.equal(shown.databaseUrl, 'postgres://hookline:****@db.internal:5432/hookline');
    assert.ok(!JSON.stringify(shown).includes('s3cr3t'));
  });

  test('masks the bootstrap token entirely', () => {
    const shown = describeConfig(loadConfig({ env: { HOOKLINE_BOOTSTRAP_TOKEN: token } }));
    assert.equal(shown.bootstrapToken, '****');
    assert.ok(!JSON.stringify(shown).includes(token));
  });

  test('shows the other settings as they are and leaves unset ones out', () => {
    const shown = describeConfig(loadConfig({ flags: { port: 8181 } }));
    assert.deepEqual(shown, {
      port: 8181,
      host: '127.0.0.1',
      dataDir: './data',
      logLevel: 'info',
      ...runtimeDefaults,
    });
  });

  test('reads the delivery and durability settings, and refuses bad ones by name', () => {
    const config = loadConfig({
      env: {
        HOOKLINE_SQLITE_SYNCHRONOUS: 'NORMAL',
        HOOKLINE_DELIVERY_RETENTION_DAYS: '30',
        HOOKLINE_DELIVERY_LEASE_SECONDS: '10',
      },
    });
    assert.deepEqual(
      [config.sqliteSynchronous, config.deliveryRetentionDays, config.deliveryLeaseSeconds],
      ['NORMAL', 30, 10],
    );
    assert.throws(
      () => loadConfig({ env: { HOOKLINE_SQLITE_SYNCHRONOUS: 'OFF' } }),
      /HOOKLINE_SQLITE_SYNCHRONOUS/,
    );
    assert.throws(
      () => loadConfig({ env: { HOOKLINE_DELIVERY_LEASE_SECONDS: '1' } }),
      /HOOKLINE_DELIVERY_LEASE_SECONDS/,
    );
  });

  test('reads the abuse limits and retention settings, and refuses bad ones by name', () => {
    const config = loadConfig({
      env: {
        HOOKLINE_LOGIN_MAX_FAILURES_PER_USER: '500',
        HOOKLINE_API_READ_RATE_LIMIT_PER_MINUTE: '0',
        HOOKLINE_REQUEST_TIMEOUT_MS: '5000',
        HOOKLINE_REVISION_RETENTION: '0',
        HOOKLINE_AUDIT_RETENTION_DAYS: '30',
      },
    });
    assert.deepEqual(
      [
        config.loginMaxFailuresPerUser,
        config.apiReadRateLimitPerMinute,
        config.requestTimeoutMs,
        config.revisionRetention,
        config.auditRetentionDays,
      ],
      [500, 0, 5000, 0, 30],
    );
    for (const [name, value] of [
      ['HOOKLINE_LOGIN_MAX_FAILURES_PER_USER', '0'],
      ['HOOKLINE_API_READ_RATE_LIMIT_PER_MINUTE', '-1'],
      ['HOOKLINE_REQUEST_TIMEOUT_MS', '999'],
      ['HOOKLINE_REVISION_RETENTION', 'all'],
      ['HOOKLINE_AUDIT_RETENTION_DAYS', '1.5'],
    ] as const) {
      assertConfigError(() => loadConfig({ env: { [name]: value } }), new RegExp(name));
    }
  });

  test('reads the runtime settings from HOOKLINE_* variables and refuses bad ones by name', () => {
    const config = loadConfig({
      env: {
        HOOKLINE_POOL_SIZE: '8',
        HOOKLINE_POOL_QUEUE: '0',
        HOOKLINE_MAX_RESPONSE_BYTES: '65536',
        HOOKLINE_TRACE_ID_HEADER: 'X-Trace-Id',
      },
    });
    assert.deepEqual(
      [config.poolSize, config.poolQueue, config.maxResponseBytes, config.traceIdHeader],
      [8, 0, 65536, 'X-Trace-Id'],
    );
    assert.throws(() => loadConfig({ env: { HOOKLINE_POOL_SIZE: '0' } }), /HOOKLINE_POOL_SIZE/);
    assert.throws(
      () => loadConfig({ env: { HOOKLINE_TRACE_ID_HEADER: 'X Trace' } }),
      /HOOKLINE_TRACE_ID_HEADER/,
    );
  });
});
