// smoke.test.mjs - the console loads signed out and signs in without a
// console error or a CSP violation.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, assertClean, signIn } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('the sign-in page loads and signing in works', async () => {
    const page = await newPage(browser);
    await page.goto(server.url + '/');
    await page.getByTestId('signin-login').waitFor();
    await signIn(page, server.url, 'staff');
    assert.ok(!page.url().includes('#/signin'));
    assertClean(page);
    await page.ctx.close();
});
