// command.test.mjs - the command room when command HQ stays silent, its
// tasks, and a drill's timed inject (the demo, its sample plan):
// - a new version of the plan tells the leadership at once when nobody
//   acknowledges (every tier of its reporting chain at minute 0); the
//   leadership sees that the chain reached them, acknowledges with an
//   assessment and a proposed level, and activates with that level
//   pre-selected; on another report the leadership activates straight
//   away;
// - command HQ gives a task an assignee from the task's group, a due time
//   and notes; the task's history shows each change; resolving with open
//   tasks asks first (cancel keeps the incident active);
// - a drill with an inject at minute 0 is started: the inject arrives on
//   the drill incident's command room live, and the drill says delivered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, assertClean, act, statusIs, ROOT, call, signedIn, screenshotPath } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const as = (login, options) => signedIn(browser, server.url, login, options);


// The sample plan again, its reporting chain telling every tier at once.
async function chainAtOnce(hq, leader) {
    const yaml = readFileSync(join(ROOT, 'examples', 'plans', 'new-system.zh-CN.yaml'), 'utf8')
        .replace(/(escalation:[\s\S]*?)(\n#)/, (m, chain, rest) => chain.replace(/after_min: \d+/g, 'after_min: 0') + rest);
    const r = await call(hq, 'POST', '/api/v1/plans', { yaml, file: 'new-system.zh-CN.yaml' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const n = r.body.n;
    for (const [page, step] of [[hq, 'submit'], [leader, 'approve'], [leader, 'publish']]) {
        const s = await call(page, 'POST', `/api/v1/plans/new-system/versions/${n}/${step}`, {});
        assert.equal(s.status, 200, `${step}: ${JSON.stringify(s.body)}`);
    }
}

test('leadership deciding after the chain reached them with no acknowledgement', async () => {
    const hq = await as('commander');
    const leader = await as('leader');
    const staff = await as('staff');
    await chainAtOnce(hq, leader);

    const rep = await call(staff, 'POST', '/api/v1/incidents', { title: '支付网关无响应', category: 'system-failure' });
    assert.equal(rep.status, 201);
    const number = rep.body.number;
    await leader.goto(`${server.url}/#/incidents/${number}`);
    await statusIs(leader, 'reported');
    await leader.getByTestId('leadership-escalated').waitFor();

    // Acknowledge with command HQ's assessment and a proposed level.
    await act(leader, 'ack', async (p) => {
        await p.getByTestId('action-assessment').fill('支付全部失败，影响全体客户');
        await p.getByTestId('action-proposed-level').selectOption('level-1');
    });
    await statusIs(leader, 'acknowledged');
    await leader.locator('[data-testid="timeline-entry"][data-key="tl.assessment_level"]').waitFor();
    assert.ok((await leader.locator('[data-key="tl.assessment_level"] .tl-text').textContent())
        .includes('支付全部失败，影响全体客户'));

    // The activation shows the assessment and proposes its level.
    await leader.getByTestId('action-activate').click();
    await leader.getByTestId('action-form-activate').waitFor();
    assert.equal(await leader.getByTestId('activate-assessment-text').textContent(), '支付全部失败，影响全体客户');
    assert.equal(await leader.getByTestId('action-level-select').inputValue(), 'level-1');
    await leader.screenshot({ path: screenshotPath('activate.png'), fullPage: true });
    await leader.getByTestId('action-submit').click();
    await statusIs(leader, 'active');

    // Another silent report: the leadership activates straight away.
    const rep2 = await call(staff, 'POST', '/api/v1/incidents', { title: '网银登录失败', category: 'system-failure' });
    await leader.goto(`${server.url}/#/incidents/${rep2.body.number}`);
    await statusIs(leader, 'reported');
    await leader.getByTestId('leadership-escalated').waitFor();
    await act(leader, 'activate', (p) => p.getByTestId('action-level-select').selectOption('level-2'));
    await statusIs(leader, 'active');
    await leader.getByTestId('task').first().waitFor();

    // Before the chain reaches them (the demo's own reports, made under
    // the first plan version and acknowledged or not), no activate button
    // on a report: the demo's UPS alarm.
    const list = await call(staff, 'GET', '/api/v1/incidents?status=reported&limit=50');
    const old = list.body.items.find((i) => !i.is_drill && i.plan_version_id !== rep.body.plan_version_id);
    if (old) {
        await leader.goto(`${server.url}/#/incidents/${old.number}`);
        await statusIs(leader, 'reported');
        const reached = (await call(staff, 'GET', `/api/v1/incidents/${old.number}`)).body.chain_reached_leadership;
        assert.equal(await leader.getByTestId('action-activate').count(), reached ? 1 : 0);
    }
    for (const p of [hq, leader, staff]) {
        assertClean(p);
        await p.ctx.close();
    }
});

test('the task form: assignee, due time, notes and history; resolving asks first', async () => {
    const hq = await as('commander');
    const list = await call(hq, 'GET', '/api/v1/incidents?status=active&limit=50');
    assert.equal(list.status, 200, JSON.stringify(list));
    const inc = list.body.items.find((i) => !i.is_drill);
    assert.ok(inc, 'an active incident in the demo');
    await hq.goto(`${server.url}/#/incidents/${inc.number}`);
    await statusIs(hq, 'active');
    const task = hq.locator('[data-testid="task"][data-group="command"]').first();
    await task.waitFor();
    const id = await task.getAttribute('data-task-id');
    await task.getByTestId('task-details').locator('summary').click();
    const form = task.getByTestId('task-form');
    await form.waitFor();
    // The assignee is chosen among the members of the task's group.
    const names = await form.getByTestId('task-assignee').locator('option').evaluateAll((os) => os.map((o) => o.textContent));
    assert.ok(names.includes('副总指挥'), names.join(','));
    assert.ok(!names.includes('技术支持工程师'), 'not a member of command HQ');
    await form.getByTestId('task-assignee').selectOption({ label: '副总指挥' });
    await form.getByTestId('task-due').fill('2030-01-02T09:30');
    await form.getByTestId('task-notes').fill('联系监管部门值班室');
    await form.getByTestId('task-save').click();
    const row = hq.locator(`[data-testid="task"][data-task-id="${id}"]`);
    await row.getByTestId('task-history-entry').filter({ hasText: '联系监管部门值班室' }).waitFor();
    assert.ok((await row.textContent()).includes('副总指挥'), 'the assignee shows on the task');
    assert.ok(await row.getByTestId('task-details').evaluate((d) => d.open), 'the details stay open');
    // Then its status: one more line of history.
    await row.getByTestId('task-status').selectOption('blocked');
    await row.locator('[data-testid="task-history-entry"]').filter({ hasText: '受阻' }).waitFor();

    // Resolving with open and blocked tasks asks first.
    await hq.getByTestId('action-resolve').click();
    await hq.getByTestId('resolve-open-tasks').waitFor();
    await hq.getByTestId('action-summary').fill('已恢复');
    let asked = '';
    hq.once('dialog', async (d) => { asked = d.message(); await d.dismiss(); });
    await hq.getByTestId('action-submit').click();
    await hq.waitForFunction(() => true);
    assert.match(asked, /受阻/);
    await statusIs(hq, 'active');
    hq.once('dialog', (d) => d.accept());
    await hq.getByTestId('action-submit').click();
    await statusIs(hq, 'resolved');
    assertClean(hq);
    await hq.ctx.close();
});

test('a drill inject arriving', async () => {
    const hq = await as('commander');
    const d = await call(hq, 'POST', '/api/v1/drills', {
        title: '数据泄露桌面推演', kind: 'tabletop', category: 'data-leak',
        scheduled_at: new Date().toISOString(), minutes: 30, participants: ['应急指挥部'],
        injects: [{ at_min: 0, text: '外部媒体询问客户数据是否泄露' }, { at_min: 600, text: '十小时后的注入' }],
    });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    await hq.goto(`${server.url}/#/drills/${d.body.id}`);
    await hq.getByTestId('drill-start').click();
    await hq.locator('[data-testid="drill-status"][data-status="running"]').waitFor();
    await hq.getByTestId('drill-incident').click();
    await hq.waitForURL(/#\/incidents\/INC-\d{4}-\d{4}/);
    const entry = hq.locator('[data-testid="timeline-entry"][data-key="tl.drill_inject"]');
    await entry.waitFor({ timeout: 15000 });
    assert.ok((await entry.textContent()).includes('外部媒体询问客户数据是否泄露'));
    assert.equal(await entry.count(), 1, 'the minute-600 inject is not due');
    // Back on the drill: delivered, and not before its time.
    await hq.getByTestId('incident-drill').click();
    await hq.waitForURL(/#\/drills\/\d+$/);
    await hq.getByTestId('drill-injects').locator('li').first().waitFor();
    const states = await hq.getByTestId('drill-injects').locator('li').evaluateAll((els) => els.map((e) => e.dataset.delivered));
    assert.deepEqual(states, ['true', 'false']);
    // Not completed while its incident is open; cancelled instead.
    await hq.getByTestId('drill-complete').click();
    await hq.getByTestId('drill-step-error').waitFor();
    assert.match(await hq.getByTestId('drill-step-error').textContent(), /演练事件仍在处置中/);
    await hq.getByTestId('drill-cancel').click();
    await hq.getByTestId('drill-cancel-confirm').click();
    await hq.locator('[data-testid="drill-status"][data-status="cancelled"]').waitFor();
    // The 409 is the console's to show, not an error of the page.
    hq.errors = hq.errors.filter((e) => !/409/.test(e));
    assertClean(hq);
    await hq.ctx.close();
});
