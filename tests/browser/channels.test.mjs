// channels.test.mjs - an administrator adds a chat robot in the console
// and sends it a test message: the answer shows the service's verdict
// (here the robot's host cannot be reached from this closed machine, so
// the verdict is a temporary failure with the transport's reason), never
// a "sent" that did not happen. An internal robot URL is refused when the
// channel is saved, with the reason shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, assertClean, signIn } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('a channel is tested from the console and shows the verdict', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'admin');
    await page.goto(`${server.url}/#/admin/channels`);
    await page.getByTestId('channel-form').waitFor();

    // Inside the organisation: refused when saved.
    await page.getByTestId('channel-name').fill('内网机器人');
    await page.getByTestId('channel-kind').selectOption('dingtalk');
    await page.getByTestId('channel-cfg-url').fill('http://169.254.169.254/robot/send');
    await page.getByTestId('channel-submit').click();
    await page.getByTestId('channel-error').waitFor();
    assert.match(await page.getByTestId('channel-error').textContent(), /config\.url/);
    page.errors = page.errors.filter((e) => !/status of 400/.test(e)); // the refusal, expected

    await page.getByTestId('channel-cfg-url').fill('https://oapi.dingtalk.com/robot/send?access_token=demo');
    await page.getByTestId('channel-submit').click();
    const row = page.locator('[data-testid="channel-row"][data-kind="dingtalk"]');
    await row.waitFor();
    await row.getByTestId('channel-test').click();
    const verdict = row.getByTestId('channel-test-result');
    await page.waitForFunction((el) => el.textContent.length > 0, await verdict.elementHandle(),
        { timeout: 20000 });
    const text = await verdict.textContent();
    assert.match(text, /暂时失败/, text);
    assert.doesNotMatch(text, /已送达/);
    assertClean(page);
});
