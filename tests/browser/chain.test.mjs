// chain.test.mjs - the reporting chain set up and checked in the console:
// an administrator adds a DingTalk robot (a real HTTP receiver on
// loopback speaking DingTalk's answer), attaches it to command HQ's group
// and sends a test that reaches the receiver, and the next report reaches
// it too; a person edits their own profile (a bad mobile refused at its
// field with nothing changed); the dashboard names who is on duty.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer, launch, newPage, assertClean, signIn, screenshotPath } from './harness.mjs';

let server, browser, robot;
const received = [];

before(async () => {
    robot = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => { body += d; });
        req.on('end', () => {
            received.push({ url: req.url, type: req.headers['content-type'], json: JSON.parse(body) });
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"errcode":0,"errmsg":"ok"}');
        });
    });
    await new Promise((r) => robot.listen(0, '127.0.0.1', r));
    server = await startServer(['--allow-private-webhooks']);
    browser = await launch();
});
after(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((r) => robot?.close(r));
});

async function until(fn, what, ms = 20000) {
    for (const end = Date.now() + ms; Date.now() < end;) {
        const v = fn();
        if (v)
            return v;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
}

test('a robot attached to a group in the console: its test and the next report reach it', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'admin');
    await page.goto(`${server.url}/#/admin/channels`);
    await page.getByTestId('channel-form').waitFor();
    await page.getByTestId('channel-name').fill('指挥部钉钉群');
    await page.getByTestId('channel-kind').selectOption('dingtalk');
    const url = `http://127.0.0.1:${robot.address().port}/robot/send?access_token=chain-test`;
    await page.getByTestId('channel-cfg-url').fill(url);
    await page.getByTestId('channel-submit').click();
    const row = page.locator('[data-testid="channel-row"][data-kind="dingtalk"]');
    await row.waitFor();
    // The settings read as words, never key=value.
    const summary = await row.locator('td').nth(2).textContent();
    assert.doesNotMatch(summary, /url_set|=/, summary);

    // Attached to command HQ's group.
    const id = await row.getAttribute('data-id');
    await page.goto(`${server.url}/#/admin/groups?group=command`);
    await page.getByTestId('group-channel-pick').selectOption(id);
    await page.getByTestId('group-channel-attach').click();
    await page.locator('[data-testid="group-channel"][data-kind="dingtalk"]').waitFor();

    // A test send reaches the receiver as DingTalk's JSON, and says so.
    await page.goto(`${server.url}/#/admin/channels`);
    await row.getByTestId('channel-test').click();
    const verdict = row.getByTestId('channel-test-result');
    await page.waitForFunction((el) => el.textContent.length > 0, await verdict.elementHandle(),
        { timeout: 20000 });
    assert.match(await verdict.textContent(), /已送达/);
    const first = await until(() => received[0], 'the test message');
    assert.equal(first.url, '/robot/send?access_token=chain-test');
    assert.match(first.type, /application\/json/);
    assert.ok(['text', 'markdown'].includes(first.json.msgtype), JSON.stringify(first.json));
    assert.ok(first.json[first.json.msgtype], JSON.stringify(first.json));

    // The next report reaches command HQ's robot with the incident in it.
    const staff = await newPage(browser);
    await signIn(staff, server.url, 'staff');
    await staff.goto(`${server.url}/#/report`);
    await staff.getByTestId('report-title').fill('核心交易系统无法登录');
    await staff.getByTestId('report-category').selectOption('system-failure');
    await staff.getByTestId('report-impact').fill('客户无法登录');
    await staff.getByTestId('report-submit').click();
    await staff.waitForURL(/#\/incidents\/INC-\d{4}-\d{4}/);
    const report = await until(() => received.find((m) => JSON.stringify(m.json).includes('核心交易系统无法登录')),
        'the report on the robot');
    assert.equal(report.json.msgtype, 'markdown', JSON.stringify(report.json));
    assert.ok('at' in report.json, 'DingTalk names whom it @-mentions in "at"');
    assertClean(page);
    assertClean(staff);
});

test('a person edits their own profile; a bad mobile is refused at its field', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'tech');
    await page.getByTestId('whoami').click();
    await page.getByTestId('profile-form').waitFor();
    // Refused at its field, nothing changed.
    const before = await page.getByTestId('profile-phone').inputValue();
    await page.getByTestId('profile-phone').fill('12-34');
    await page.getByTestId('profile-save').click();
    await page.locator('[data-testid="profile-phone"][aria-invalid="true"]').waitFor();
    page.errors = page.errors.filter((e) => !/status of 400/.test(e));
    const me0 = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
    assert.equal(me0.user.phone, before);

    await page.getByTestId('profile-phone').fill('+8613900001111');
    await page.getByTestId('profile-zone').selectOption('Europe/London');
    await page.getByTestId('profile-chat-dingtalk').fill('ding-tech-01');
    await page.getByTestId('profile-save').click();
    await page.getByText('已保存').first().waitFor();
    await page.reload();
    await page.getByTestId('profile-form').waitFor();
    assert.equal(await page.getByTestId('profile-phone').inputValue(), '+8613900001111');
    assert.equal(await page.getByTestId('profile-zone').inputValue(), 'Europe/London');
    assert.equal(await page.getByTestId('profile-chat-dingtalk').inputValue(), 'ding-tech-01');
    const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
    assert.equal(me.user.phone, '+8613900001111');
    assert.equal(me.effective_time_zone, 'Europe/London');
    assert.equal(me.user.chat_ids.dingtalk, 'ding-tech-01');

    // An API token of one's own, its secret shown once.
    await page.getByTestId('token-name').fill('巡检脚本');
    await page.getByTestId('token-create').click();
    assert.match(await page.getByTestId('token-secret').inputValue(), /^erms_/);
    await page.locator('[data-testid="token-row"]', { hasText: '巡检脚本' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('profile.png'), fullPage: true });
    assertClean(page);
});

test('the dashboard names who is on duty in each group', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'staff');
    const command = page.locator('[data-testid="on-duty-group"][data-group="command"]');
    await command.waitFor();
    assert.ok(await command.getByTestId('on-duty-person').count() === 1, await command.textContent());
    await command.getByRole('link').click();
    await page.waitForURL(/#\/duty\?group=command/);
    await page.getByTestId('on-duty-name').waitFor();
    await page.screenshot({ path: screenshotPath('duty.png'), fullPage: true });
    assertClean(page);
});
