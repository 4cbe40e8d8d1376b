// pack.test.mjs - the emergency pack's offline page: `erms demo
// --pack-dir DIR` writes the pack; DIR/plan.html opened from disk
// (file://) in Chromium with the network off shows the call tree with a
// name and a number, and asks for nothing outside itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, launch, newPage, assertClean } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'erms-pack-browser-'));
const packDir = join(dir, 'pack');

let server, browser;
before(async () => {
    server = await startServer(['--pack-dir', packDir]);
    browser = await launch();
});
after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
});

test('the pack\'s plan.html shows the call tree offline, with nothing fetched', async () => {
    const manifest = join(packDir, 'manifest.json');
    for (let i = 0; i < 600 && !existsSync(manifest); i++)
        await sleep(100);
    assert.ok(existsSync(manifest), 'erms demo --pack-dir wrote no pack');

    const page = await newPage(browser);
    const asked = [];
    await page.ctx.setOffline(true);
    // Anything but the file itself would be a request leaving the page.
    await page.ctx.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:'))
            return route.continue();
        asked.push(url);
        return route.abort();
    });
    page.on('request', (r) => {
        if (!r.url().startsWith('file:'))
            asked.push(r.url());
    });
    const url = pathToFileURL(join(packDir, 'plan.html')).href;
    await page.goto(url);

    const tree = page.locator('#call-tree');
    await tree.waitFor();
    assert.ok(await tree.isVisible());
    // The section: the heading and what follows it up to the next one.
    const text = await page.evaluate(() => {
        let s = '', n = document.getElementById('call-tree');
        for (s = n.textContent, n = n.nextElementSibling; n && n.tagName !== 'H2';
             n = n.nextElementSibling)
            s += '\n' + n.innerText;
        return s;
    });
    assert.match(text, /上报链|Call tree/);
    // The demo's command HQ: a person's name with their number.
    assert.match(text, /(总指挥|副总指挥|指挥部值班员)[^\n]*\+86 138 0000 \d{4}/);
    const row = page.locator('#call-tree ~ table').first().locator('tbody tr').first();
    assert.ok(await row.isVisible());

    assert.deepEqual(asked, [], 'the page asked for: ' + asked.join(', '));
    assert.equal(await page.evaluate(() => document.scripts.length), 0);
    assert.equal(await page.evaluate(() => document.querySelectorAll('link, img, iframe').length), 0);
    assertClean(page);
    await page.ctx.close();
});
