// The connection page's metrics in a real Chromium against `hookline serve` and a real local
// target: calls that answered 200 and 500 show over the last hour, switching to 24 hours keeps
// them (and the URL says range=24h), and an open delivery circuit is explained: what opened it
// and when it tries again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { closeAllTargets, startHttpTarget } from '../../helpers/target-servers.ts';
import {
  browserSkipReason,
  eventually,
  launchChromium,
  logIn,
  openWatchedPage,
  startConsoleServer,
  type ConsoleServer,
  uniqueName,
  unlabelledControls,
} from './console-harness.ts';

describe('web console: metrics over time', { skip: browserSkipReason() }, () => {
  let server: ConsoleServer;
  let browser: Browser;

  before(async () => {
    server = await startConsoleServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await closeAllTargets();
  });

  /** A connection deployed to development (loopback is allowed there) calling `url`. */
  async function deployed(url: string): Promise<{ id: string; name: string }> {
    const made = await server.ok('POST', '/connections', {
      name: uniqueName('Metrics'),
      environments: { development: { method: 'POST', url } },
    });
    await server.ok('POST', `/connections/${made.id}/deploy`, { environment: 'development' });
    return made;
  }

  test('calls show over 1 hour and 24 hours (kept in the URL), and an open circuit says why and when it tries again', async () => {
    // the path decides the answer: /ok → 200, anything else → 500
    const target = await startHttpTarget((request, response) => {
      response.writeHead(request.url === '/ok' ? 200 : 500).end();
    });
    const healthy = await deployed(`${target.origin}/ok`);
    for (let i = 0; i < 3; i += 1) {
      const call = await server.ok('POST', `/connections/${healthy.id}/invoke`, {
        environment: 'development',
      });
      assert.equal(call.outcome, 'OK');
    }
    // the same connection, redeployed to a failing path: two calls answer 500
    await server.ok('PATCH', `/connections/${healthy.id}`, {
      environments: { development: { method: 'POST', url: `${target.origin}/fail` } },
    });
    await server.ok('POST', `/connections/${healthy.id}/deploy`, { environment: 'development' });
    for (let i = 0; i < 2; i += 1) {
      const call = await server.ok('POST', `/connections/${healthy.id}/invoke`, {
        environment: 'development',
      });
      assert.equal(call.outcome, 'HTTP_5XX');
    }

    const admin = await server.createUser('admin', 'metrics_admin');
    const watched = await openWatchedPage(browser, { viewport: { width: 1440, height: 900 } });
    const { page } = watched;
    await logIn(page, server.url, admin.username, admin.password);
    await page.goto(`${server.url}/connections/${healthy.id}`);
    const metrics = page.getByRole('region', { name: 'Metrics' });
    // the environment's name, not its id
    await metrics.getByRole('heading', { level: 3, name: 'Development' }).waitFor();
    const hour = metrics.getByRole('button', { name: '1 hour' });
    assert.equal(await hour.getAttribute('aria-pressed'), 'true');
    await metrics
      .getByRole('img', {
        name: 'Calls in Development: 5 calls in the last hour, 2 failed',
        exact: false,
      })
      .waitFor();
    await metrics
      .getByRole('img', {
        name: /^Latency in Development: 1 of 60 points|^Latency in Development: 2 of 60 points/,
      })
      .waitFor();
    // the charts fill the panel (full width), not a 380-pixel thumbnail
    const chartBox = await metrics.locator('.series-chart').first().boundingBox();
    const panelBox = await metrics.boundingBox();
    assert.ok(
      chartBox && panelBox && chartBox.width > panelBox.width * 0.85,
      `${chartBox?.width} of ${panelBox?.width}`,
    );
    await metrics
      .getByRole('group', { name: 'Circuit in Development' })
      .getByText('Circuit closed')
      .waitFor();
    assert.deepEqual(await unlabelledControls(page), []);
    await watched.screenshot('metrics-1h');

    await metrics.getByRole('button', { name: '24 hours' }).click();
    await eventually(() => assert.match(page.url(), /[?&]range=24h\b/));
    // the router applies the new URL as a transition: the pressed state follows a moment later
    await eventually(async () =>
      assert.equal(
        await metrics.getByRole('button', { name: '24 hours' }).getAttribute('aria-pressed'),
        'true',
      ),
    );
    await metrics
      .getByRole('img', { name: /^Calls in Development: 5 calls in the last 24 hours, 2 failed/ })
      .waitFor();
    await metrics.getByText('a column is 15 minutes').waitFor();
    await watched.screenshot('metrics-24h');

    // a reload keeps the range (it is in the URL)
    await page.reload();
    await metrics
      .getByRole('img', { name: /^Calls in Development: 5 calls in the last 24 hours/ })
      .waitFor();

    // five deliveries that fail in a row open the circuit (failureThreshold 5)
    for (let i = 0; i < 5; i += 1) {
      await server.ok('POST', `/connections/${healthy.id}/deliveries`, {
        environment: 'development',
        body: { n: i },
      });
    }
    const circuit = metrics.getByRole('group', { name: 'Circuit in Development' });
    // the page looks again every 15 s by itself; a reload is quicker
    await eventually(async () => {
      const detail = await server.ok('GET', `/connections/${healthy.id}/metrics`);
      assert.equal(
        detail.environments[0]?.circuit,
        'open',
        JSON.stringify(detail.environments[0]?.circuitDetail),
      );
    });
    await page.reload();
    await circuit.getByText('Circuit open').waitFor();
    await circuit.getByText('HTTP_5XX').waitFor();
    await circuit.getByText(/One probe delivery goes/).waitFor();
    await watched.screenshot('metrics-circuit-open');

    // on a phone the range control and the charts fit the screen
    await page.setViewportSize({ width: 390, height: 844 });
    await metrics.getByRole('button', { name: '7 days' }).click();
    await metrics
      .getByRole('img', { name: /^Calls in Development: 10 calls in the last 7 days/ })
      .waitFor();
    const phoneChart = await metrics.locator('.series-chart').first().boundingBox();
    assert.ok(phoneChart && phoneChart.width <= 390, `${phoneChart?.width}`);
    await watched.screenshot('metrics-7d-phone');
    watched.assertNoProblems();
    await watched.context.close();
  });
});
