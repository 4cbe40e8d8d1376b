// lang.test.mjs - generated text in the reader's language and local time:
// the plan in force writes the level's measures in both languages; a
// leader who reads English activates in the console and sees English
// states and task titles, while the technical team, reading Chinese in a
// browser of its own, sees the same tasks in Chinese; a user whose zone is
// Europe/London sees the report time in London's hour.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, assertClean, act, statusIs, ROOT, call, signedIn } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const as = (login, options) => signedIn(browser, server.url, login, options);


// Level 2's measures in both languages (the sample plan has them in Chinese).
const MEASURES = [
    ['启动应急指挥部，召开应急会议', 'Open command HQ and hold the emergency meeting'],
    ['分析故障原因，制定并实施处置方案', 'Find the cause, then plan and carry out the fix'],
];

async function bilingualPlan(hq, leader) {
    let yaml = readFileSync(join(ROOT, 'examples', 'plans', 'new-system.zh-CN.yaml'), 'utf8');
    const at = yaml.indexOf('  - key: level-2');
    const end = yaml.indexOf('  - key: level-3');
    let level2 = yaml.slice(at, end);
    for (const [zh, en] of MEASURES)
        level2 = level2.replace(`- title: ${zh}\n`, `- title: {zh-CN: "${zh}", en: "${en}"}\n`);
    assert.notEqual(level2, yaml.slice(at, end));
    yaml = yaml.slice(0, at) + level2 + yaml.slice(end);
    const r = await call(hq, 'POST', '/api/v1/plans', { yaml, file: 'new-system.zh-CN.yaml' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    for (const [page, step] of [[hq, 'submit'], [leader, 'approve'], [leader, 'publish']]) {
        const s = await call(page, 'POST', `/api/v1/plans/new-system/versions/${r.body.n}/${step}`, {});
        assert.equal(s.status, 200, `${step}: ${JSON.stringify(s.body)}`);
    }
}

test('a leader reading English activates; the technical team reads the same tasks in Chinese', async () => {
    const admin = await as('admin');
    const users = (await call(admin, 'GET', '/api/v1/users')).body.items;
    const id = (login) => users.find((u) => u.login === login).id;
    const r0 = await call(admin, 'PATCH', `/api/v1/users/${id('leader')}`, { locale: 'en' });
    assert.equal(r0.status, 200, JSON.stringify(r0.body));
    const r1 = await call(admin, 'PATCH', `/api/v1/users/${id('netops')}`, { time_zone: 'Europe/London' });
    assert.equal(r1.status, 200, JSON.stringify(r1.body));

    const hq = await as('commander');
    const leader = await as('leader', { locale: 'en-GB' });
    await bilingualPlan(hq, leader);

    // Reported at 03:03 in Beijing (19:03 the day before in London).
    const staff = await as('staff');
    const rep = await call(staff, 'POST', '/api/v1/incidents', {
        title: '网上银行登录失败', category: 'system-failure', impact: '客户无法登录',
        detected_at: '2026-11-27T19:03:00Z',
    });
    assert.equal(rep.status, 201, JSON.stringify(rep.body));
    const number = rep.body.number;
    assert.equal((await call(hq, 'POST', `/api/v1/incidents/${number}/ack`, {})).status, 200);

    // The leader's console is in English: states, the step, the tasks.
    await leader.goto(`${server.url}/#/incidents/${number}`);
    await statusIs(leader, 'acknowledged');
    assert.equal(await leader.evaluate(() => document.documentElement.lang), 'en');
    await act(leader, 'activate', (p) => p.getByTestId('action-level-select').selectOption('level-2'));
    await statusIs(leader, 'active');
    assert.match(await leader.getByTestId('incident-status').textContent(), /Active/);
    const tech = leader.locator('[data-testid="task"][data-group="tech"] .task-title');
    await tech.first().waitFor();
    assert.equal(await tech.first().textContent(), MEASURES[1][1]);
    const timeline = await leader.getByTestId('timeline').textContent();
    assert.match(timeline, /Acknowledged → Active/);
    assert.doesNotMatch(timeline, /已确认|响应中/);

    // The technical team reads Chinese: the same task in Chinese, states too.
    const netops = await as('netops');
    await netops.goto(`${server.url}/#/incidents/${number}`);
    await statusIs(netops, 'active');
    const zh = netops.locator('[data-testid="task"][data-group="tech"] .task-title');
    await zh.first().waitFor();
    assert.equal(await zh.first().textContent(), MEASURES[1][0]);
    const zhTimeline = await netops.getByTestId('timeline').textContent();
    assert.match(zhTimeline, /已确认 → 响应中/);
    assert.doesNotMatch(zhTimeline, /\b(acknowledged|active|reported)\b/);

    // netops reads London time: the detection shows 19:03, never 03:03.
    const detected = await netops.locator('time[datetime="2026-11-27T19:03:00.000Z"], time[datetime="2026-11-27T19:03:00Z"]').first();
    await detected.waitFor();
    const shown = await detected.textContent();
    assert.match(shown, /19:03/, shown);
    assert.doesNotMatch(shown, /03:03/, shown);
    for (const p of [admin, hq, leader, staff, netops])
        assertClean(p);
});
