// status.test.mjs - the public status page works without JavaScript in
// Chromium and shows a public bulletin, never an internal one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, assertClean, signIn } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('the status page renders without JavaScript', async () => {
    // Command HQ publishes a public and an internal bulletin through the API.
    const hq = await newPage(browser);
    await signIn(hq, server.url, 'commander');
    const result = await hq.evaluate(async () => {
        const csrf = JSON.parse(sessionStorage.getItem('erms.session') || '{}').csrf ||
            (await (await fetch('/api/v1/session')).json()).csrf_token;
        const post = (path, body) => fetch(path, {
            method: 'POST', credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
            body: JSON.stringify(body),
        }).then((r) => r.status);
        return [
            await post('/api/v1/incidents/INC-2026-0002/bulletins',
                { text: '官网访问缓慢，正在处置', audience: 'public' }),
            await post('/api/v1/incidents/INC-2026-0002/bulletins',
                { text: '内部：清洗服务已介入', audience: 'internal' }),
        ];
    });
    assert.deepEqual(result, [201, 201]);
    assertClean(hq);
    await hq.ctx.close();

    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    const res = await page.goto(`${server.url}/status`);
    assert.equal(res.status(), 200);
    const text = await page.textContent('body');
    assert.ok(text.includes('官网访问缓慢，正在处置'));
    assert.ok(!text.includes('清洗服务已介入'));
    assert.ok(text.includes('服务状态'));
    await context.close();
});
