// regulatory.test.mjs - the reporting duty to the regulator in the console
// (the demo, its sample plan, where level-2 maps to national level III):
// - an administrator sets the operator type to critical information
//   infrastructure (1 hour), adds a regulator and a year's holidays in
//   Admin → Organisation;
// - an incident activated at level-2 opens the obligation: the command
//   room's panel counts down to an hour after discovery, the dashboard
//   and the list show "监管报告 剩 … 分钟";
// - command HQ records the first report through the form, its content
//   pre-filled (the GB/T 20986-2023 class among it), one item edited; the
//   status becomes reported; staff see the panel without the form;
// - the record page lists it on time, with the CSV and the pack links;
//   the panel and the record page fit 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, assertClean, call, signedIn, screenshotPath } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const as = (login, options) => signedIn(browser, server.url, login, options);

async function noSideways(page, what) {
    const m = await page.evaluate(() => ({
        sw: document.scrollingElement.scrollWidth, cw: document.scrollingElement.clientWidth,
    }));
    assert.ok(m.sw <= m.cw, `${what}: scrollWidth ${m.sw} > clientWidth ${m.cw}`);
}

test('the regulator\'s clock: operator type, countdown, a first report from the form, the record', async () => {
    const year = new Date().getFullYear();
    const regulator = '市公安局网络安全保卫支队';

    // ---- Admin → Organisation -------------------------------------------
    const admin = await as('admin');
    await admin.goto(`${server.url}/#/admin/organisation`);
    await admin.getByTestId('org-form').waitFor();
    await admin.getByTestId('org-name').fill('示例城市商业银行');
    await admin.getByTestId('org-operator-type').selectOption('cii');
    assert.match(await admin.getByTestId('org-deadline').textContent(), /60/);
    await admin.getByTestId('org-reg-add').click();
    const row = admin.getByTestId('org-regulator').last();
    await row.getByTestId('org-reg-name').fill(regulator);
    await row.getByTestId('org-reg-role').fill('公安机关');
    await row.getByTestId('org-reg-phone').fill('010-12345678');
    let lastYear = admin.locator(`[data-testid="org-cal-year-row"][data-year="${year}"]`);
    if (!await lastYear.count()) {
        await admin.getByTestId('org-cal-add').click();
        lastYear = admin.getByTestId('org-cal-year-row').last();
        await lastYear.getByTestId('org-cal-year').fill(String(year));
    }
    // A bad date is refused at its field, before anything is sent.
    await lastYear.getByTestId('org-cal-holidays').fill(`${year}-10-01\n${year}-13-01`);
    await admin.getByTestId('org-save').click();
    await admin.locator('[data-testid="org-cal-holidays"][aria-invalid="true"]').waitFor();
    await lastYear.getByTestId('org-cal-holidays').fill(`${year}-10-01, ${year}-10-02`);
    await lastYear.getByTestId('org-cal-workdays').fill(`${year}-09-27`);
    await admin.getByTestId('org-save').click();
    await admin.locator('[data-testid="toast"]', { hasText: '组织设置已保存' }).waitFor();
    const org = await call(admin, 'GET', '/api/v1/organisation');
    assert.equal(org.status, 200);
    assert.equal(org.body.operator_type, 'cii');
    assert.equal(org.body.report_deadline_min, 60);
    assert.ok(org.body.regulators.some((r) => r.name === regulator && r.role === '公安机关'), JSON.stringify(org.body.regulators));
    assert.ok(org.body.calendar[String(year)].holidays.includes(`${year}-10-02`), JSON.stringify(org.body.calendar));
    await admin.ctx.close();

    // ---- an incident at national level III --------------------------------
    const staff = await as('staff');
    const hq = await as('commander');
    const leader = await as('leader');
    const rep = await call(staff, 'POST', '/api/v1/incidents', { title: '客户数据疑似外泄', category: 'data-leak' });
    assert.equal(rep.status, 201, JSON.stringify(rep.body));
    const number = rep.body.number;
    assert.equal((await call(hq, 'POST', `/api/v1/incidents/${number}/ack`, {})).status, 200);
    const act = await call(leader, 'POST', `/api/v1/incidents/${number}/activate`, { level: 'level-2' });
    assert.equal(act.status, 200, JSON.stringify(act.body));
    const reg = act.body.regulatory;
    assert.equal(reg.required, true, JSON.stringify(reg));
    assert.equal(reg.status, 'due');
    assert.equal(reg.national_level, 'III');
    const from = Date.parse(act.body.detected_at || act.body.reported_at);
    assert.equal(Date.parse(reg.deadline_at) - from, 60 * 60000, JSON.stringify(reg));

    // The dashboard and the list show the countdown in minutes.
    await hq.goto(`${server.url}/#/`);
    const dash = hq.locator(`[data-testid="dashboard-incident"][data-number="${number}"] [data-testid="dashboard-reg"]`);
    await dash.waitFor();
    assert.match(await dash.textContent(), /^监管报告 剩 (60|59|58) 分钟$/);
    await hq.goto(`${server.url}/#/incidents`);
    const listed = hq.locator(`[data-testid="incident-row"][data-number="${number}"] [data-testid="incident-row-reg"]`);
    await listed.waitFor();
    assert.match(await listed.textContent(), /监管报告 剩 \d+ 分钟/);

    // ---- the command room -------------------------------------------------
    await hq.goto(`${server.url}/#/incidents/${number}`);
    const panel = hq.getByTestId('regulatory-panel');
    await panel.waitFor();
    assert.equal(await panel.getByTestId('reg-national-level').textContent(), 'Ⅲ级（较大）');
    assert.match(await panel.getByTestId('reg-operator-type').textContent(), /关键信息基础设施/);
    const countdown = panel.getByTestId('reg-countdown');
    const first = await countdown.textContent();
    assert.match(first, /^剩 0:5\d:\d\d$/);
    await hq.waitForFunction((was) => document.querySelector('[data-testid="reg-countdown"]').textContent !== was, first,
        { timeout: 5000 });
    assert.equal(await panel.getByTestId('reg-no-reports').count(), 1);

    // Record the first report: the content comes pre-filled, one item edited.
    await panel.getByTestId('reg-record-open').click();
    const form = panel.getByTestId('reg-form');
    await form.waitFor();
    assert.equal(await form.getByTestId('reg-kind').inputValue(), 'first');
    await form.getByTestId('reg-item-category').waitFor();
    assert.match(await form.getByTestId('reg-item-category').inputValue(), /DS/);
    assert.ok((await form.getByTestId('reg-item-unit').inputValue()).trim().length > 0, 'the unit is pre-filled');
    const labels = await form.locator('[data-testid="reg-content"] label').allTextContents();
    assert.ok(labels.length >= 10, labels.join('|'));
    await form.getByTestId('reg-to').selectOption(regulator);
    await form.getByTestId('reg-via').selectOption('phone');
    const measures = '已隔离涉事数据库服务器，重置相关账号口令，正在排查外传途径。';
    await form.getByTestId('reg-item-measures').fill(measures);
    await form.getByTestId('reg-submit').click();
    await panel.locator('[data-testid="reg-report"][data-kind="first"]').waitFor();
    await panel.locator('[data-testid="reg-status"][data-state="reported"]').waitFor();
    assert.equal(await panel.getByTestId('reg-form').count(), 0);
    assert.equal(await panel.getByTestId('reg-report-to').first().textContent(), regulator);
    const href = await panel.getByTestId('reg-report-pdf').first().getAttribute('href');
    assert.match(href, /\/regulatory-reports\/1\.pdf$/);
    const one = await call(hq, 'GET', `/api/v1/incidents/${number}/regulatory-reports/1`);
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(one.body.content.measures, measures);
    assert.equal(one.body.kind, 'first');
    assert.equal(one.body.to, regulator);
    assert.equal(one.body.on_time, true);
    await panel.screenshot({ path: screenshotPath('regulatory.png') });

    // Staff read the panel; the form is not theirs.
    await staff.goto(`${server.url}/#/incidents/${number}`);
    await staff.getByTestId('regulatory-panel').waitFor();
    await staff.locator('[data-testid="reg-report"]').first().waitFor();
    assert.equal(await staff.getByTestId('reg-record-open').count(), 0);

    // ---- the record -------------------------------------------------------
    await hq.goto(`${server.url}/#/regulatory`);
    const item = hq.locator(`[data-testid="reg-obligation"][data-number="${number}"]`);
    await item.waitFor();
    assert.equal(await item.getAttribute('data-status'), 'reported');
    assert.equal(await item.locator('[data-testid="reg-timeliness"]').getAttribute('data-state'), 'on_time');
    assert.equal(await item.getByTestId('reg-obligation-title').textContent(), '客户数据疑似外泄');
    assert.match(await hq.getByTestId('reg-rate').textContent(), /%/);
    assert.equal(await hq.getByTestId('reg-csv').getAttribute('href'), `/api/v1/regulatory.csv?year=${year}`);
    assert.equal(await hq.getByTestId('reg-pack').getAttribute('href'), '/api/v1/pack');
    const csv = await hq.evaluate(async (y) => (await fetch(`/api/v1/regulatory.csv?year=${y}`)).text(), year);
    assert.ok(csv.includes(number), csv.slice(0, 400));

    // ---- at 360 px ----------------------------------------------------------
    const phone = await as('commander', { viewport: { width: 360, height: 740 } });
    await phone.goto(`${server.url}/#/incidents/${number}`);
    await phone.getByTestId('regulatory-panel').waitFor();
    await phone.locator('[data-testid="reg-report"]').first().waitFor();
    await noSideways(phone, 'the command room');
    await phone.goto(`${server.url}/#/regulatory`);
    await phone.locator(`[data-testid="reg-obligation"][data-number="${number}"]`).waitFor();
    await noSideways(phone, 'the record page');
    await phone.getByTestId('reg-year').waitFor();
    const adminPhone = await as('admin', { viewport: { width: 360, height: 740 } });
    await adminPhone.goto(`${server.url}/#/admin/organisation`);
    await adminPhone.getByTestId('org-form').waitFor();
    await noSideways(adminPhone, 'the organisation settings');

    for (const p of [staff, hq, leader, phone, adminPhone]) {
        assertClean(p);
        await p.ctx.close();
    }
});
