// plans.test.mjs - staff read the plan in force and acknowledge it; a new
// version is imported, reviewed, approved and published through the
// console by command HQ and the leadership.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, assertClean, screenshotPath, ROOT, signedIn } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const as = (login, options) => signedIn(browser, server.url, login, options);

test('staff read the plan and acknowledge it', async () => {
    const page = await as('staff');
    await page.getByTestId('nav-plans').click();
    await page.getByTestId('plan-reading').waitFor();
    assert.ok(await page.getByTestId('plan-section').count() >= 5);
    await page.getByTestId('plan-levels').waitFor();
    await page.screenshot({ path: screenshotPath('plan.png'), fullPage: true });
    await page.getByTestId('plan-ack').click();
    await page.locator('[data-testid="plan-ack-state"]').filter({ hasText: /已确认|acknowledged/i })
        .first().waitFor();
    assertClean(page);
    await page.ctx.close();

    // The leadership sees staff among those who have read it.
    const leader = await as('leader');
    await leader.getByTestId('nav-plans').click();
    await leader.getByTestId('plan-acks').waitFor();
    const pending = await leader.getByTestId('plan-acks-pending').textContent();
    assert.ok(!pending.includes('普通员工'), 'staff is no longer pending');
    assertClean(leader);
    await leader.ctx.close();
});

test('a new version is imported, approved and published in the console', async () => {
    const yaml = readFileSync(join(ROOT, 'examples', 'plans', 'new-system.zh-CN.yaml'), 'utf8')
        .replace('activate_min: 15', 'activate_min: 10');
    const commander = await as('commander');
    await commander.getByTestId('nav-plans').click();
    await commander.getByTestId('plan-import-yaml').fill(yaml);
    await commander.getByTestId('plan-import-submit').click();
    const v2 = commander.getByTestId('plan-version-2');
    await v2.waitFor();
    await v2.getByTestId('plan-submit').click();
    await commander.locator('[data-testid="plan-version-2"][data-status="in_review"]').waitFor();
    assertClean(commander);
    await commander.ctx.close();

    const leader = await as('leader');
    await leader.getByTestId('nav-plans').click();
    await leader.getByTestId('plan-version-2').getByTestId('plan-approve').click();
    await leader.locator('[data-testid="plan-version-2"][data-status="approved"]').waitFor();
    await leader.getByTestId('plan-version-2').getByTestId('plan-publish').click();
    await leader.locator('[data-testid="plan-version-2"][data-status="published"]').waitFor();
    await leader.locator('[data-testid="plan-version-1"][data-status="superseded"]').waitFor();
    assertClean(leader);
    await leader.ctx.close();
});
