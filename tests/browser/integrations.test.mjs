// integrations.test.mjs - monitoring intake in the console. An
// administrator connects an Alertmanager in the Integrations page and
// reads its address, shown once with a ready receivers: snippet; the test
// posts an Alertmanager webhook payload to that address as Alertmanager
// would; command HQ sees the incident on the dashboard marked as the
// monitor's, and its command room lists the alerts with their labels and
// follows them live (resolved) without losing a note being typed. A test
// alert opens a drill incident; rules and maintenance windows are saved and
// a refused matcher is shown under its rule; a rotated key kills the old
// address. Someone who is not an administrator has no Integrations page.
// Screenshots go to docs/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, assertClean, screenshotPath, signedIn } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const as = (login, options) => signedIn(browser, server.url, login, options);

// Alertmanager's webhook body (version 4) for one group of two alerts.
function payload(status) {
    const now = new Date();
    const alert = (instance) => ({
        status,
        labels: { alertname: 'DiskFull', severity: 'critical', instance, job: 'node' },
        annotations: { summary: '数据库主机磁盘将满', description: `${instance} 的 /var 分区使用率超过 95%` },
        startsAt: new Date(now.getTime() - 60000).toISOString(),
        endsAt: status === 'resolved' ? now.toISOString() : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example/graph?g0.expr=disk',
    });
    return {
        version: '4', groupKey: '{}:{alertname="DiskFull"}', truncatedAlerts: 0, status, receiver: 'erms',
        groupLabels: { alertname: 'DiskFull' }, commonLabels: { alertname: 'DiskFull', severity: 'critical', job: 'node' },
        commonAnnotations: { summary: '数据库主机磁盘将满' }, externalURL: 'http://alertmanager.example',
        alerts: [alert('db-1:9100'), alert('db-2:9100')],
    };
}

async function post(url, body) {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
}

// Click and wait for the PATCH it sends to be accepted.
async function saved(page, click) {
    const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/v1\/integrations\/\d+$/.test(r.url())),
        click(),
    ]);
    assert.equal(res.status(), 200, await res.text());
}

// The refusals a test provokes on purpose show as failed requests.
function forgive(page, status) {
    page.errors = page.errors.filter((e) => !e.includes(`status of ${status}`));
}

test('an Alertmanager connected in the console opens an incident command HQ sees', async () => {
    const admin = await as('admin');
    await admin.getByTestId('nav-integrations').click();
    await admin.getByTestId('integrations-empty').waitFor();

    // Create: name, kind, the plan's category.
    await admin.getByTestId('int-name').fill('Prometheus 生产');
    await admin.getByTestId('int-kind').selectOption('alertmanager');
    await admin.getByTestId('int-category').selectOption('system-failure');
    await admin.getByTestId('int-submit').click();

    // The address and key, once, with the warning and the snippets filled in.
    await admin.getByTestId('int-secret').waitFor();
    const url = await admin.getByTestId('int-url').inputValue();
    const key = await admin.getByTestId('int-key').inputValue();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/intake\/\S+$/, url);
    assert.ok(url.endsWith(`/${key}`), 'the address carries the key');
    assert.ok(url.startsWith(server.url), `${url} is this server's`);
    assert.match(await admin.getByTestId('int-secret-warning').textContent(), /只显示这一次/);
    const receivers = await admin.getByTestId('snippet-config').textContent();
    assert.match(receivers, /receivers:/);
    assert.match(receivers, /webhook_configs:/);
    assert.ok(receivers.includes(`url: '${url}'`), receivers);
    assert.match(receivers, /send_resolved: true/);
    assert.ok((await admin.getByTestId('snippet-curl').textContent()).includes(url));
    const integId = admin.url().match(/#\/integrations\/(\d+)/)[1];
    await admin.screenshot({ path: screenshotPath('integration.png') });

    // Command HQ watches the dashboard before the alert comes.
    const commander = await as('commander');
    await commander.getByTestId('dashboard-active').waitFor();
    assert.equal(await commander.getByTestId('nav-integrations').isHidden(), true, 'no Integrations for command HQ');

    // Alertmanager posts its group.
    const r = await post(url, payload('firing'));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'ok');
    assert.equal(r.body.alerts, 2);
    assert.equal(r.body.incidents_opened, 1);
    const number = r.body.incident;
    assert.match(number, /^INC-\d{4}-\d{4}$/);

    // The dashboard shows it, marked as the monitor's, without a reload.
    const item = commander.locator(`[data-testid="dashboard-incident"][data-number="${number}"]`);
    await item.waitFor({ timeout: 15000 });
    const badge = item.getByTestId('source-badge');
    assert.equal(await badge.getAttribute('data-source'), 'alertmanager');
    assert.equal((await badge.textContent()).trim(), '监控 · Alertmanager');

    // The integration's page, still open, counts them.
    await admin.locator('[data-testid="int-alert-counts"]', { hasText: '2 条触发中，共 2 条' }).waitFor({ timeout: 15000 });
    assert.equal(await admin.getByTestId('int-secret').count(), 1, 'the key is still shown');

    // So does the incident list.
    await commander.getByTestId('nav-incidents').click();
    const row = commander.locator(`[data-testid="incident-row"][data-number="${number}"]`);
    await row.waitFor();
    assert.equal((await row.getByTestId('source-badge').textContent()).trim(), '监控 · Alertmanager');

    // The command room lists both alerts with their labels.
    await row.locator('a').first().click();
    await commander.getByTestId('incident-alerts').waitFor();
    assert.equal((await commander.getByTestId('incident-source').textContent()).trim(), '监控 · Alertmanager');
    const alerts = commander.getByTestId('alert');
    await commander.waitForFunction(() => document.querySelectorAll('[data-testid="alert"]').length === 2);
    for (const el of await alerts.all()) {
        assert.equal(await el.getAttribute('data-status'), 'firing');
        assert.equal(await el.getAttribute('data-severity'), 'critical');
        assert.equal((await el.getByTestId('alert-summary').textContent()).trim(), '数据库主机磁盘将满');
        const labels = await el.getByTestId('alert-label').evaluateAll((els) => els.map((x) => x.textContent));
        assert.ok(labels.includes('alertname=DiskFull'), labels.join(' '));
        assert.ok(labels.includes('job=node'), labels.join(' '));
        assert.ok(labels.some((l) => /^instance=db-[12]:9100$/.test(l)), labels.join(' '));
    }
    await commander.screenshot({ path: screenshotPath('alerts.png') });

    // A note being typed survives the live update that follows.
    await commander.getByTestId('note-text').fill('正在联系 DBA');
    const again = await post(url, payload('firing'));
    assert.equal(again.body.incidents_opened, 0, 'a repeat opens nothing');
    const resolved = await post(url, payload('resolved'));
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body.resolved, 2);
    await commander.waitForFunction(() => {
        const els = [...document.querySelectorAll('[data-testid="alert"]')];
        return els.length === 2 && els.every((e) => e.dataset.status === 'resolved');
    }, null, { timeout: 15000 });
    assert.equal(await commander.getByTestId('note-text').inputValue(), '正在联系 DBA');
    // The timeline says so, in the reader's language.
    const allResolved = commander.locator('[data-testid="timeline-entry"][data-kind="alert"]', { hasText: '2 条告警已全部恢复' });
    await allResolved.waitFor({ timeout: 15000 });
    assert.doesNotMatch(await allResolved.textContent(), /resolved/);

    // In English, the same badge.
    await commander.getByTestId('lang-switch').click();
    await commander.getByText('Monitor · Alertmanager').first().waitFor();
    await commander.locator('[data-testid="timeline-entry"][data-kind="alert"]', { hasText: 'All 2 alerts resolved' }).waitFor();

    // Someone who is not an administrator cannot open the page by its address.
    await commander.goto(`${server.url}/#/integrations`);
    await commander.getByTestId('integrations-forbidden').waitFor();
    assert.equal(await commander.getByTestId('int-create').count(), 0);
    assertClean(commander);
    await commander.ctx.close();

    // The list shows what was received.
    await admin.goto(`${server.url}/#/integrations`);
    const irow = admin.locator(`[data-testid="integration-row"][data-id="${integId}"]`);
    await irow.waitFor();
    assert.equal((await irow.getByTestId('integration-alerts').textContent()).trim(), '0 / 2');

    // Back on its page the key is gone; the snippets say <KEY>.
    await irow.getByTestId('integration-link').click();
    await admin.getByTestId('int-setup-hidden').waitFor();
    assert.equal(await admin.getByTestId('int-secret').count(), 0);
    const hidden = await admin.getByTestId('snippet-config').textContent();
    assert.ok(hidden.includes('/api/v1/intake/<KEY>'), hidden);
    assert.ok(!hidden.includes(key), 'the key is not shown again');

    // A test alert opens a drill incident, linked.
    await admin.getByTestId('int-test').click();
    const link = admin.getByTestId('int-test-result').locator('a.inc-number');
    await link.waitFor();
    assert.match(await link.textContent(), /^INC-\d{4}-\d{4}$/);

    // Rules: a refused matcher is shown under its rule; a good one is kept.
    await admin.getByTestId('rule-add').click();
    const rule = admin.getByTestId('rule').first();
    await rule.getByTestId('rule-matchers').fill('severity ~~ critical');
    await admin.getByTestId('rule-save').click();
    const err = rule.locator('.field-error:not([hidden])');
    await err.waitFor();
    assert.ok((await err.textContent()).length > 0);
    forgive(admin, 400);
    await rule.getByTestId('rule-matchers').fill('severity="critical"\ninstance=~"db-.*"');
    await rule.getByTestId('rule-level').selectOption({ index: 1 });
    await admin.getByTestId('rule-add').click();
    await admin.getByTestId('rule').nth(1).getByTestId('rule-matchers').fill('alertname="Watchdog"');
    await admin.getByTestId('rule').nth(1).getByTestId('rule-drop').check();
    // Ordered: the drop rule moves first.
    await admin.getByTestId('rule').nth(1).getByTestId('rule-up').click();
    await saved(admin, () => admin.getByTestId('rule-save').click());

    // A maintenance window.
    await admin.getByTestId('maint-add').click();
    const win = admin.getByTestId('maint').first();
    await win.getByTestId('maint-matchers').fill('instance=~"web-.*"');
    await win.getByTestId('maint-reason').fill('机房搬迁');
    await saved(admin, () => admin.getByTestId('maint-save').click());

    // They are what the integration now holds.
    await admin.reload();
    await admin.getByTestId('rule').nth(1).waitFor();
    assert.equal(await admin.getByTestId('rule').nth(0).getByTestId('rule-matchers').inputValue(), 'alertname="Watchdog"');
    assert.equal(await admin.getByTestId('rule').nth(0).getByTestId('rule-drop').isChecked(), true);
    assert.equal(await admin.getByTestId('rule').nth(1).getByTestId('rule-matchers').inputValue(),
        'severity="critical"\ninstance=~"db-.*"');
    assert.equal(await admin.getByTestId('maint').first().getByTestId('maint-reason').inputValue(), '机房搬迁');

    // Rotate: a new address shown once, the old one refused.
    await admin.getByTestId('int-rotate').click();
    await admin.getByTestId('int-confirm').click();
    await admin.getByTestId('int-secret').waitFor();
    const url2 = await admin.getByTestId('int-url').inputValue();
    assert.notEqual(url2, url);
    assert.equal((await post(url, payload('firing'))).status, 401, 'the old key is dead');
    assert.equal((await post(url2, payload('firing'))).status, 200, 'the new key works');

    // Disabled: the address answers 401; enabled again it works.
    await admin.getByTestId('int-toggle').click();
    await admin.locator('[data-testid="int-state"][data-enabled="0"]').waitFor();
    assert.equal((await post(url2, payload('firing'))).status, 401);
    await admin.getByTestId('int-toggle').click();
    await admin.locator('[data-testid="int-state"][data-enabled="1"]').waitFor();
    assertClean(admin);
    await admin.ctx.close();
});

test('the Integrations page works on a 360 px phone and deletes with a confirmation', async () => {
    const page = await as('admin', { viewport: { width: 360, height: 740 } });
    await page.goto(`${server.url}/#/integrations`);
    await page.getByTestId('int-form').waitFor();
    await page.getByTestId('int-name').fill('夜间备份');
    await page.getByTestId('int-kind').selectOption('heartbeat');
    await page.getByTestId('int-interval').fill('3600');
    await page.getByTestId('int-submit').click();
    await page.getByTestId('int-secret').waitFor();
    const url = await page.getByTestId('int-url').inputValue();
    assert.match(await page.getByTestId('snippet-curl').textContent(), new RegExp(`curl -fsS -m 10 -X POST '${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`));
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `no sideways scrolling at 360 px (${wide})`);
    const hb = await fetch(url, { method: 'POST' });
    assert.equal(hb.status, 200);

    // Settings: an interval the server refuses is shown under its field;
    // a good one is saved and the instructions follow it.
    await page.getByTestId('set-interval').fill('5');
    await page.getByTestId('set-submit').click();
    const bad = page.locator('#' + await page.getByTestId('set-interval').getAttribute('id') + '-err');
    await bad.waitFor();
    assert.match(await bad.textContent(), /interval_s/);
    forgive(page, 400);
    await page.getByTestId('set-interval').fill('7200');
    await saved(page, () => page.getByTestId('set-submit').click());
    await page.getByTestId('int-setup').getByText('至少每 7200 秒调用一次', { exact: false }).waitFor();
    assert.equal(await bad.isHidden(), true);

    // Keyboard: the delete button opens its confirmation, Escape closes it
    // and gives the focus back; opened again, it deletes.
    await page.getByTestId('int-delete').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('int-confirm-box').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('int-confirm-box').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'int-delete');
    assert.equal((await fetch(url, { method: 'POST' })).status, 200, 'not deleted');
    await page.keyboard.press('Enter');
    await page.getByTestId('int-confirm-box').waitFor();
    await page.getByTestId('int-confirm').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/integrations$/);
    await page.getByTestId('int-form').waitFor();
    assert.equal((await fetch(url, { method: 'POST' })).status, 401, 'a deleted integration\'s key is dead');
    assertClean(page);
    await page.ctx.close();
});
