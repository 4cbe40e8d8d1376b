// drills.test.mjs - a drill from plan to evaluation, clicked through the
// console: command HQ plans a live drill and starts it; its drill incident
// runs the real workflow (command HQ acknowledges, the leadership
// activates, command HQ resolves, the leadership closes, command HQ
// reviews); back on the drill, command HQ completes it and evaluates it
// with scores and a finding, which becomes a task on the drill incident.
// The evaluation, the year's outstanding drill categories and the
// dashboard card show the result. Screenshot: docs/screenshots/drill.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, assertClean, screenshotPath, act, statusIs, signedIn } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const as = (login, options) => signedIn(browser, server.url, login, options);

async function drillIs(page, status) {
    await page.locator(`[data-testid="drill-status"][data-status="${status}"]`)
        .waitFor({ timeout: 15000 });
}

test('a drill is planned, run on the real workflow and evaluated', async () => {
    const hq = await as('commander');
    await hq.getByTestId('nav-drills').click();
    await hq.getByTestId('drills-compliance-summary').waitFor();

    // Plan a live drill of a system failure, with two injects out of order.
    const form = hq.getByTestId('drill-new-form');
    if (!await form.isVisible())
        await hq.getByTestId('drill-plan-open').click();
    await hq.getByTestId('drill-new-title').fill('核心交易系统故障实战演练');
    await hq.getByTestId('drill-new-kind').selectOption('live');
    await hq.getByTestId('drill-new-category').selectOption('system-failure');
    await hq.getByTestId('drill-new-level').selectOption('level-3');
    await hq.getByTestId('drill-new-location').fill('2 号机房');
    await hq.getByTestId('drill-new-participants').fill('应急指挥部\n技术支持小组\n');
    await hq.getByTestId('drill-new-scenario').fill('核心交易系统应用服务器宕机，需切换至备用集群。');
    for (const [min, text] of [['10', '备用集群切换失败'], ['0', '监控告警：交易成功率跌至 0']]) {
        await hq.getByTestId('drill-inject-add').click();
        await hq.getByTestId('drill-inject-min').last().fill(min);
        await hq.getByTestId('drill-inject-text').last().fill(text);
    }
    await hq.getByTestId('drill-new-submit').click();
    await hq.waitForURL(/#\/drills\/\d+$/);
    const drillUrl = hq.url();
    await drillIs(hq, 'planned');
    assert.equal(await hq.getByTestId('drill-title').textContent(), '核心交易系统故障实战演练');
    assert.deepEqual(await hq.getByTestId('drill-injects').locator('li').evaluateAll(
        (els) => els.map((e) => e.dataset.at)), ['0', '10'], 'injects in time order');
    assert.equal(await hq.getByTestId('drill-participants').locator('li').count(), 2);

    // Start it: the drill incident is reported; follow the link to it.
    await hq.getByTestId('drill-start').click();
    await drillIs(hq, 'running');
    await hq.getByTestId('drill-incident').click();
    await hq.waitForURL(/#\/incidents\/INC-\d{4}-\d{4}/);
    const number = hq.url().match(/INC-\d{4}-\d{4}/)[0];
    await statusIs(hq, 'reported');
    await hq.getByTestId('incident-head').locator('.badge.drill').waitFor();

    // The real workflow, each step by whoever holds the right.
    await act(hq, 'ack');
    await statusIs(hq, 'acknowledged');
    const leader = await as('leader');
    await leader.goto(`${server.url}/#/incidents/${number}`);
    await statusIs(leader, 'acknowledged');
    await act(leader, 'activate'); // the drill's level is proposed and chosen
    await statusIs(leader, 'active');
    await statusIs(hq, 'active');
    // The level's measures are still open: resolving asks first.
    hq.once('dialog', (d) => d.accept());
    await act(hq, 'resolve', (p) => p.getByTestId('action-summary').fill('已切换至备用集群，交易恢复'));
    await statusIs(leader, 'resolved');
    await act(leader, 'close');
    await statusIs(hq, 'closed');
    await act(hq, 'review', (p) => p.getByTestId('review-cause').fill('演练：应用服务器宕机'));
    await statusIs(hq, 'reviewed');

    // Back on the drill, through the incident's link to it: complete and
    // evaluate it.
    await hq.getByTestId('incident-drill').click();
    await hq.waitForURL(drillUrl);
    await hq.locator('[data-testid="drill-incident-status"][data-status="reviewed"]').waitFor();
    assert.equal(await hq.getByTestId('drill-incident').textContent(), number);
    await hq.getByTestId('drill-complete').click();
    await drillIs(hq, 'completed');
    await hq.getByTestId('drill-eval-form').waitFor();
    const criteria = await hq.getByTestId('drill-score-criterion').evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(criteria, ['响应及时性', '处置有效性', '协同配合']);
    const values = hq.getByTestId('drill-score-value');
    for (const [i, v] of ['9', '8', '7'].entries())
        await values.nth(i).fill(v);
    await hq.getByTestId('drill-finding-add').click();
    await hq.getByTestId('drill-finding-title').fill('备用集群切换脚本未随版本更新');
    await hq.getByTestId('drill-finding-group').selectOption('tech');
    await hq.getByTestId('drill-finding-plan').check();
    await hq.getByTestId('drill-eval-notes').fill('整体响应及时，切换环节需加强。');
    await hq.getByTestId('drill-eval-submit').click();
    await drillIs(hq, 'evaluated');

    // The evaluation: 24 of 30 is 80 %, durations against targets, the
    // finding with its task on the drill incident.
    const ev = hq.getByTestId('drill-evaluation');
    await ev.waitFor();
    assert.equal(await hq.getByTestId('drill-eval-percent').textContent(), '80%');
    await hq.getByTestId('drill-eval-revise').waitFor();
    const steps = await hq.getByTestId('drill-durations').locator('tbody tr').evaluateAll(
        (rows) => rows.map((r) => [r.dataset.step, r.dataset.verdict]));
    assert.deepEqual(steps.map((s) => s[0]), ['ack', 'activate', 'resolve', 'close']);
    assert.equal(steps[0][1], 'met', 'acknowledged well within the target');
    const finding = hq.getByTestId('drill-finding');
    assert.equal(await finding.count(), 1);
    assert.ok((await finding.textContent()).includes('备用集群切换脚本未随版本更新'));
    const taskLink = finding.getByTestId('drill-finding-task');
    const href = await taskLink.getAttribute('href');
    assert.match(href, new RegExp(`^#/incidents/${number}\\?task=\\d+$`));

    await hq.getByTestId('toast').waitFor({ state: 'hidden' });
    await hq.screenshot({ path: screenshotPath('drill.png'), fullPage: true });

    // The finding's task, marked on the drill incident's task board.
    await taskLink.click();
    await hq.waitForURL(/\?task=\d+$/);
    const task = hq.locator('[data-testid="task"].task-target');
    await task.waitFor();
    assert.equal(await task.getAttribute('data-group'), 'tech');
    assert.ok((await task.textContent()).includes('备用集群切换脚本未随版本更新'));

    // The year's compliance: system failure (live) is done, the others are not.
    await hq.getByTestId('nav-drills').click();
    await hq.locator('[data-testid="drill-row"][data-status="evaluated"]').waitFor();
    // The compliance card is filled by a request of its own.
    await hq.getByTestId('drills-overdue').waitFor();
    const cats = await hq.getByTestId('drills-overdue').locator('li').evaluateAll(
        (els) => els.map((e) => e.dataset.category));
    assert.ok(!cats.includes('system-failure'), 'the live system-failure drill counts');
    for (const c of ['network-attack', 'data-leak', 'natural-disaster'])
        assert.ok(cats.includes(c), `${c} is still outstanding`);

    // The dashboard tells the same.
    await hq.getByTestId('nav-dashboard').click();
    const card = hq.getByTestId('dashboard-drills-overdue');
    await card.getByTestId('dashboard-drills-overdue-list').waitFor();
    const dash = await card.locator('li').evaluateAll((els) => els.map((e) => e.dataset.category));
    assert.deepEqual(dash, cats);

    for (const p of [hq, leader]) {
        assertClean(p);
        await p.ctx.close();
    }
});

test('the calendar subscription URL carries a feed token, not the session', async () => {
    const hq = await as('commander');
    await hq.getByTestId('nav-drills').click();
    await hq.getByTestId('feed-token-new').click();
    const url = await hq.getByTestId('feed-url-drills').inputValue();
    assert.match(url, /\/api\/v1\/drills\.ics\?token=ermsf_/);
    assert.match(await hq.getByTestId('feed-url-shifts').inputValue(),
        /\/api\/v1\/users\/\d+\/shifts\.ics\?token=ermsf_/);
    // A calendar app, with no cookie, reads the feed with it.
    const path = url.slice(url.indexOf('/api/v1/'));
    const res = await fetch(server.url + path);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^BEGIN:VCALENDAR/);
    // A new one ends the old.
    await hq.getByTestId('feed-token-new').click();
    // The click first empties the card, so wait for the new URL itself
    // (the POST answered), not merely for the old one to be gone.
    await hq.waitForFunction((old) => {
        const v = document.querySelector('[data-testid="feed-url-drills"]')?.value;
        return v && v !== old;
    }, url);
    assert.equal((await fetch(server.url + path)).status, 401);
    assertClean(hq);
    await hq.ctx.close();
});
