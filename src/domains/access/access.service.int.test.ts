import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createStore } from '../../store/create-store.ts';
import { createAuditService } from '../audit/index.ts';
import { createAccessService } from './access.service.ts';
import { generateToken, hashToken, tokenCacheMs } from './token.service.ts';
import { insertToken } from './token.repo.ts';

async function withService(
  run: (context: {
    access: ReturnType<typeof createAccessService>;
    token: string;
    advance: (ms: number) => void;
    revoke: () => Promise<void>;
    store: Awaited<ReturnType<typeof createStore>>;
  }) => Promise<void>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-access-'));
  const store = await createStore({ dialect: 'sqlite', file: join(dir, 'hookline.sqlite') });
  let nowMs = Date.parse('2026-11-29T00:00:00.000Z');
  const clock = { now: () => new Date(nowMs) };
  const access = createAccessService({ store, clock, audit: createAuditService({ store, clock }) });
  try {
    await access.ensureBootstrapToken({ dataDir: dir, adminPassword: 'correct horse battery' });
    const token = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
    await run({
      access,
      token,
      store,
      advance: (ms) => (nowMs += ms),
      revoke: async () => {
        await store.db
          .updateTable('tokens')
          .set({ revoked_at: new Date(nowMs).toISOString() })
          .execute();
      },
    });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a token revoked in the store is refused once the short lookup cache has passed', async () => {
  await withService(async ({ access, token, advance, revoke }) => {
    assert.equal((await access.authenticate(token))?.role, 'admin');
    await revoke();
    advance(tokenCacheMs);
    assert.equal(await access.authenticate(token), null);
  });
});

test('an unknown token is refused every time and is not remembered', async () => {
  await withService(async ({ access, token, store }) => {
    const later = generateToken();
    assert.equal(await access.authenticate(`${token}x`), null);
    assert.equal(await access.authenticate(later), null);
    assert.equal((await access.authenticate(token))?.role, 'admin');
    // made known in the store right after it was refused: it works at once (a refusal is
    // never cached, or a token would fail for a second after its creation)
    await insertToken(store.db, {
      id: 'tok_later',
      name: 'later',
      tokenHash: hashToken(later),
      role: 'viewer',
      createdAt: new Date().toISOString(),
      userId: (await access.users.get('admin')).id,
    });
    assert.equal((await access.authenticate(later))?.role, 'viewer');
  });
});

test('a replaced bootstrap token stops working at once, without waiting for the cache', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-access-'));
  const store = await createStore({ dialect: 'sqlite', file: join(dir, 'hookline.sqlite') });
  const clock = { now: () => new Date() };
  const access = createAccessService({ store, clock, audit: createAuditService({ store, clock }) });
  try {
    await access.ensureBootstrapToken({
      dataDir: dir,
      bootstrapToken: 'hl_first_token_value_0001',
    });
    assert.ok(await access.authenticate('hl_first_token_value_0001'));
    await access.ensureBootstrapToken({
      dataDir: dir,
      bootstrapToken: 'hl_second_token_value_002',
    });
    assert.equal(await access.authenticate('hl_first_token_value_0001'), null);
    assert.ok(await access.authenticate('hl_second_token_value_002'));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('authenticateIfKnown answers from the cache only while it is fresh', async () => {
  await withService(async ({ access, token, advance, revoke }) => {
    assert.equal(access.authenticateIfKnown(token), undefined, 'not read yet');
    assert.equal((await access.authenticate(token))?.role, 'admin');
    assert.equal(access.authenticateIfKnown(token)?.role, 'admin');
    assert.equal(access.authenticateIfKnown(`${token}x`), undefined);
    await revoke();
    advance(tokenCacheMs);
    assert.equal(access.authenticateIfKnown(token), undefined, 'stale: ask the store');
    assert.equal(await access.authenticate(token), null);
    assert.equal(access.authenticateIfKnown(token), null, 'revoked, freshly read');
  });
});

test('a revoked bootstrap token stays revoked across restarts; deleting its file makes a new one', async () => {
  await withService(async ({ access, token, advance }) => {
    const admin = await access.users.get('admin');
    const actor = { id: admin.id, name: 'admin', role: 'admin' as const };
    const [bootstrap] = (await access.tokens.list({ limit: 10 }, actor)).items;
    await access.tokens.revoke(bootstrap!.id, actor);
    advance(tokenCacheMs);
    // a restart with the same token: it is not brought back
    const again = await access.ensureBootstrapToken({
      dataDir: '/nonexistent',
      bootstrapToken: token,
    });
    assert.equal(again.revoked, true);
    assert.equal(await access.authenticate(token), null);
    // a new value (the file deleted and made anew, or another HOOKLINE_BOOTSTRAP_TOKEN) works
    const fresh = generateToken();
    const renewed = await access.ensureBootstrapToken({
      dataDir: '/nonexistent',
      bootstrapToken: fresh,
    });
    assert.equal(renewed.revoked, false);
    assert.equal((await access.authenticate(fresh))?.name, 'admin');
  });
});
