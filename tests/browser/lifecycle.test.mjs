// lifecycle.test.mjs - the whole life of an incident, clicked through the
// console by a different person at each step, each in a browser context of
// their own: a member of staff reports from a 360 px phone, command HQ
// acknowledges, the leadership activates, a technical team member
// completes a task, command HQ resolves, the leadership closes and command
// HQ files the review. A second context watches the command room and must
// see each step appear without reloading. Any console error or CSP
// violation fails the test. Screenshots go to docs/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, assertClean, screenshotPath, act, statusIs, signedIn } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const as = (login, options) => signedIn(browser, server.url, login, options);

test('an incident from report to review, watched live', async () => {
    // A member of staff reports from a phone.
    const staff = await as('staff', { viewport: { width: 360, height: 740 } });
    await staff.getByTestId('nav-report').click();
    await staff.getByTestId('report-title').fill('核心数据库主库宕机');
    await staff.getByTestId('report-category').selectOption('system-failure');
    await staff.getByTestId('report-impact').fill('网上交易中断');
    await staff.getByTestId('report-submit').click();
    await staff.waitForURL(/#\/incidents\/INC-\d{4}-\d{4}/);
    const number = staff.url().match(/INC-\d{4}-\d{4}/)[0];
    await statusIs(staff, 'reported');

    // Someone watches the command room from the start.
    const watcher = await as('deputy');
    await watcher.goto(`${server.url}/#/incidents/${number}`);
    await statusIs(watcher, 'reported');
    const entries = () => watcher.getByTestId('timeline-entry').count();
    let seen = await entries();
    const more = async () => {
        await watcher.waitForFunction((n) =>
            document.querySelectorAll('[data-testid="timeline-entry"]').length > n, seen);
        seen = await entries();
    };
    const reloads = [];
    watcher.on('framenavigated', (f) => { if (f === watcher.mainFrame()) reloads.push(f.url()); });

    // Command HQ acknowledges.
    const commander = await as('commander');
    await commander.goto(`${server.url}/#/incidents/${number}`);
    await act(commander, 'ack');
    await statusIs(commander, 'acknowledged');
    await statusIs(watcher, 'acknowledged');
    await more();

    // The leadership activates at level 2.
    const leader = await as('leader');
    await leader.goto(`${server.url}/#/incidents/${number}`);
    await act(leader, 'activate', (p) =>
        p.getByTestId('action-level-select').selectOption('level-2'));
    await statusIs(watcher, 'active');
    await watcher.locator('[data-testid="task"][data-group="tech"]').first().waitFor();
    await more();

    // A technical team member completes their task.
    const tech = await as('tech');
    await tech.goto(`${server.url}/#/incidents/${number}`);
    const task = tech.locator('[data-testid="task"][data-group="tech"]').first();
    const taskId = await task.getAttribute('data-task-id');
    await task.getByTestId('task-status').selectOption('done');
    await watcher.locator(`[data-testid="task"][data-task-id="${taskId}"][data-status="done"]`)
        .waitFor({ timeout: 15000 });

    // The command room, in Chinese and in English, while the incident is active.
    await watcher.screenshot({ path: screenshotPath('command-room.zh-CN.png'), fullPage: true });

    // Command HQ resolves (with other measures still open it is
    // asked first, and goes ahead), the leadership closes, command HQ reviews.
    commander.once('dialog', (d) => d.accept());
    await act(commander, 'resolve', (p) =>
        p.getByTestId('action-summary').fill('切换至备库并修复主库，交易恢复'));
    await statusIs(watcher, 'resolved');
    await act(leader, 'close');
    await statusIs(watcher, 'closed');
    await act(commander, 'review', (p) =>
        p.getByTestId('review-cause').fill('主库磁盘写满'));
    await statusIs(watcher, 'reviewed');
    await more();
    await watcher.getByTestId('incident-report').waitFor();
    assert.deepEqual(reloads, [], 'the watcher never reloaded');

    // The timeline holds every step in order, as the server has it.
    const kinds = await watcher.getByTestId('timeline-entry').evaluateAll(
        (els) => els.map((e) => e.dataset.kind));
    for (const k of ['report', 'status', 'level', 'task'])
        assert.ok(kinds.includes(k), `timeline has a ${k} entry`);

    await watcher.getByTestId('lang-switch').click();
    await watcher.getByText('Reviewed').first().waitFor();
    await watcher.screenshot({ path: screenshotPath('command-room.en.png'), fullPage: true });

    for (const p of [staff, watcher, commander, leader, tech]) {
        assertClean(p);
        await p.ctx.close();
    }
});

test('the dashboard shows active incidents by level with live timers', async () => {
    const page = await as('commander');
    await page.goto(`${server.url}/#/`);
    await page.getByTestId('dashboard-active').waitFor();
    await page.getByTestId('dashboard-incident').first().waitFor();
    assert.ok(await page.getByTestId('dashboard-incident').count() > 0);
    // Live timers: their text changes by itself, second by second.
    const timer = page.locator('.timer').first();
    const before = await timer.textContent();
    await page.waitForFunction((b) =>
        document.querySelector('.timer').textContent !== b, before, { timeout: 5000 });
    await page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true });
    assertClean(page);
    await page.ctx.close();
});
