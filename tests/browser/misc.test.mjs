// misc.test.mjs - screenshots: docs/screenshots/stats.png and
// incidents-360.png. Bulletins from the command room reach /status (the
// public one only); every list page reads at 360 px without sideways
// scrolling, with a one-row header; the sign-in page shows the wait a 429
// asks for; no "null" on the supplies page of a user who may not manage
// them; no "Overdue" on a closed incident that missed a target.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, newPage, assertClean, signIn, screenshotPath, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A write through the page's session (cookie and CSRF token).
async function apiCall(page, method, path, body) {
    return page.evaluate(async ([m, p, b]) => {
        const headers = { 'X-CSRF-Token': sessionStorage.getItem('erms.csrf') };
        if (b !== undefined)
            headers['Content-Type'] = 'application/json';
        const r = await fetch(p, {
            method: m, credentials: 'same-origin', headers,
            body: b === undefined ? undefined : JSON.stringify(b),
        });
        return { status: r.status, body: await r.json().catch(() => null) };
    }, [method, path, body]);
}

test('posting a public and an internal bulletin and seeing the public one on /status', async () => {
    const hq = await newPage(browser);
    await signIn(hq, server.url, 'commander');
    await hq.goto(`${server.url}/#/incidents/INC-2026-0002`);
    const card = hq.getByTestId('incident-bulletins');
    await card.getByTestId('bulletin-form').waitFor();

    // Public: the preview shows what /status will, as it is typed.
    await card.getByLabel('对外发布').check();
    const preview = card.getByTestId('bulletin-preview');
    await preview.waitFor();
    await card.getByLabel('内容').fill('官网访问已恢复正常，感谢耐心等待');
    await hq.waitForFunction(() => document.querySelector('[data-testid="bulletin-preview-new"]')
        .textContent.includes('官网访问已恢复正常'));
    assert.ok((await card.getByTestId('bulletin-preview-title').textContent()).length > 0);
    assert.match(await preview.textContent(), /处置中 · INC-2026-0002/);
    await card.getByTestId('bulletin-submit').click();
    await card.locator('[data-testid="bulletin"][data-audience="public"]').filter({ hasText: '官网访问已恢复正常' }).waitFor();
    assert.equal(await card.getByLabel('内容').inputValue(), '');

    // Internal: no preview of the status page.
    await card.getByLabel('内部通报').check();
    assert.equal(await preview.isVisible(), false);
    await card.getByLabel('内容').fill('内部：清洗服务继续观察两小时');
    await card.getByTestId('bulletin-submit').click();
    await card.locator('[data-testid="bulletin"][data-audience="internal"]').filter({ hasText: '清洗服务继续观察' }).waitFor();

    // An empty text is refused in the form, and nothing is posted.
    const before = await card.getByTestId('bulletin').count();
    await card.getByTestId('bulletin-submit').click();
    await card.locator('.field-error:not([hidden])').waitFor();
    assert.equal(await card.getByTestId('bulletin').count(), before);
    assertClean(hq);

    // Someone without the right sees the list and no form.
    const staff = await newPage(browser);
    await signIn(staff, server.url, 'staff');
    await staff.goto(`${server.url}/#/incidents/INC-2026-0002`);
    await staff.getByTestId('bulletin-list').waitFor();
    assert.equal(await staff.getByTestId('bulletin-form').count(), 0);
    assertClean(staff);
    await staff.ctx.close();
    await hq.ctx.close();

    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    const res = await page.goto(`${server.url}/status`);
    assert.equal(res.status(), 200);
    const text = await page.textContent('body');
    assert.ok(text.includes('官网访问已恢复正常，感谢耐心等待'));
    assert.ok(!text.includes('清洗服务继续观察'));
    await context.close();
});

test('every list page at 360 px without horizontal overflow', async () => {
    const page = await newPage(browser, { viewport: { width: 360, height: 740 } });
    await signIn(page, server.url, 'admin');
    const pages = ['#/', '#/incidents', '#/supplies', '#/drills', '#/plans', '#/stats', '#/integrations',
        '#/admin/users', '#/admin/groups', '#/admin/duty', '#/admin/channels', '#/admin/delivery', '#/funds',
        '#/duty', '#/profile', '#/regulatory', '#/admin/organisation'];
    for (const hash of pages) {
        await page.goto(`${server.url}/${hash}`);
        await page.locator('#view .page h1').first().waitFor();
        await page.waitForFunction(() => !document.querySelector('#view .loading'));
        const m = await page.evaluate(() => {
            const se = document.scrollingElement;
            const bar = document.querySelector('.bar');
            const tops = ['.brand', '#menu', '[data-testid="nav-report"]', '#lang', '#signout']
                .map((s) => document.querySelector(s).getBoundingClientRect()).filter((r) => r.height > 0)
                .map((r) => Math.round(r.top + r.height / 2));
            return { sw: se.scrollWidth, cw: se.clientWidth, bar: bar.getBoundingClientRect().height, tops };
        });
        assert.ok(m.sw <= m.cw, `${hash}: scrollWidth ${m.sw} > clientWidth ${m.cw}`);
        assert.ok(m.bar < 64, `${hash}: the header is ${m.bar}px high`);
        assert.ok(m.tops.length >= 4 && Math.max(...m.tops) - Math.min(...m.tops) <= 4, `${hash}: the header is not one row: ${m.tops}`);
    }

    // The lists are cards: titles get the width, cells are labelled.
    for (const [hash, row] of [['#/incidents', 'incident-row'], ['#/supplies', 'supply-row'], ['#/drills', 'drill-row']]) {
        await page.goto(`${server.url}/${hash}`);
        await page.getByTestId(row).first().waitFor();
        const c = await page.evaluate((r) => {
            const tr = document.querySelector(`[data-testid="${r}"]`);
            const title = tr.querySelector('.card-title');
            const cell = tr.querySelector('td[data-label]');
            return {
                display: getComputedStyle(tr).display, titleW: title.getBoundingClientRect().width,
                label: getComputedStyle(cell, '::before').content,
            };
        }, row);
        assert.equal(c.display, 'block', `${hash}: rows are cards`);
        assert.ok(c.titleW > 250, `${hash}: the title is ${c.titleW}px wide`);
        assert.ok(c.label.length > 2, `${hash}: cells carry their label (${c.label})`);
    }
    await page.goto(`${server.url}/#/incidents`);
    await page.getByTestId('incident-row').first().waitFor();
    await page.screenshot({ path: screenshotPath('incidents-360.png') });

    // The sections are behind the menu, by keyboard too.
    await page.goto(`${server.url}/#/`);
    await page.getByTestId('dashboard-active').or(page.locator('#view h1')).first().waitFor();
    assert.equal(await page.getByTestId('nav-supplies').isVisible(), false);
    assert.equal(await page.getByTestId('nav-report').isVisible(), true);
    await page.getByTestId('menu').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId('menu').getAttribute('aria-expanded'), 'true');
    await page.getByTestId('nav-supplies').click();
    await page.waitForFunction(() => location.hash === '#/supplies');
    assert.equal(await page.getByTestId('menu').getAttribute('aria-expanded'), 'false');
    assert.equal(await page.getByTestId('nav-supplies').isVisible(), false);
    await page.getByTestId('menu').click();
    await page.keyboard.press('Escape');
    assert.equal(await page.getByTestId('menu').getAttribute('aria-expanded'), 'false');
    assertClean(page);
    await page.ctx.close();
});

test('no "null" under the supplies table for a user who may not manage supplies', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'staff');
    await page.goto(`${server.url}/#/supplies`);
    await page.getByTestId('supplies').waitFor();
    await page.getByTestId('supply-row').first().waitFor();
    const text = await page.locator('#view').innerText();
    assert.ok(!/\bnull\b/.test(text), text.slice(-300));
    assert.equal(await page.getByTestId('supply-f-name').count(), 0);
    assertClean(page);
    await page.ctx.close();
});

test('the incident list exports its filters as CSV', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'staff');
    await page.goto(`${server.url}/#/incidents?status=active`);
    const link = page.getByTestId('incidents-csv');
    await link.waitFor();
    const href = await link.getAttribute('href');
    assert.match(href, /^\/api\/v1\/incidents\.csv\?/);
    assert.match(href, /status=active/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const text = readFileSync(await download.path(), 'utf8');
    const lines = text.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.equal(lines[0].split(',')[0], '编号');
    assert.ok(lines.length >= 2, text);
    assert.ok(lines.slice(1).every((l) => l.includes('响应中')), text);
    assertClean(page);
    await page.ctx.close();
});

test('the statistics page draws its charts with a table beside them', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, 'leader');
    await page.goto(`${server.url}/#/stats`);
    await page.getByTestId('stats-overall').waitFor();
    // The demo's real incidents of this year (its drill left out).
    const n = Number(await page.getByTestId('stats-count').textContent());
    assert.ok(n >= 5, `count ${n}`);
    const chart = page.getByTestId('stats-levels-chart');
    await chart.waitFor();
    assert.equal(await chart.getAttribute('role'), 'img');
    assert.ok((await chart.getAttribute('aria-label')).length > 5);
    assert.ok(await chart.locator('rect').count() >= 3);
    const rows = page.getByTestId('stats-levels-table-row');
    assert.ok(await rows.count() >= 2);
    assert.ok(await page.getByTestId('stats-categories-table-row').count() >= 3);
    await page.screenshot({ path: screenshotPath('stats.png'), fullPage: true });
    // A period that ends before it starts is refused in the form.
    await page.getByTestId('stats-from').fill('2026-06-01');
    await page.getByTestId('stats-to').fill('2026-05-01');
    await page.getByTestId('stats-apply').click();
    await page.locator('.field-error:not([hidden])').waitFor();
    // A period with none.
    await page.goto(`${server.url}/#/stats?from=2001-01-01&to=2001-12-31`);
    await page.getByTestId('stats-none').waitFor();
    assert.equal(await page.getByTestId('stats-count').textContent(), '0');
    assertClean(page);
    await page.ctx.close();
});

// ---- a server with the test clock, on the demo's database --------------

async function clockServer() {
    const bin = process.env.ERMS_BIN || join(ROOT, 'build', 'erms');
    const dir = mkdtempSync(join(tmpdir(), 'erms-browser-clock-'));
    const env = { ...process.env, ERMS_LOG_LEVEL: 'warn' };
    const run = async (args) => {
        const portFile = join(dir, `port-${args[0]}`);
        let stderr = '';
        const proc = spawn(bin, [...args, '--listen', '127.0.0.1:0', '--port-file', portFile],
            { stdio: ['ignore', 'ignore', 'pipe'], env });
        proc.stderr.on('data', (d) => { stderr += d; });
        for (let i = 0; i < 300 && !existsSync(portFile); i++)
            await sleep(50);
        if (!existsSync(portFile))
            throw new Error(`erms ${args[0]} did not start:\n${stderr}`);
        const url = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
        const stop = async () => {
            const done = new Promise((r) => proc.on('exit', (code) => r(code)));
            proc.kill('SIGTERM');
            const code = await done;
            if (code !== 0 || /AddressSanitizer|LeakSanitizer|runtime error:/.test(stderr))
                throw new Error(`erms exited with ${code}:\n${stderr.slice(-4000)}`);
        };
        return { url, stop };
    };
    // The demo seeds the database; the server then runs on it with the clock.
    const seeded = await run(['demo', '--data', join(dir, 'data')]);
    await seeded.stop();
    const db = join(dir, 'data', 'erms.db');
    const s = await run(['serve', '--db', db, '--key', `${db}.key`, '--test-clock']);
    return { url: s.url, async stop() { try { await s.stop(); } finally { rmSync(dir, { recursive: true, force: true }); } } };
}

test('no Overdue on a closed incident that missed a target', async () => {
    const srv = await clockServer();
    try {
        const admin = await newPage(browser);
        await signIn(admin, srv.url, 'admin');
        const leader = await newPage(browser);
        await signIn(leader, srv.url, 'leader');
        const hq = await newPage(browser);
        await signIn(hq, srv.url, 'commander');
        // INC-2026-0003 was acknowledged, not activated: half an hour on,
        // its activation target is missed.
        const later = new Date(Date.now() + 30 * 60000).toISOString();
        assert.equal((await apiCall(admin, 'POST', '/api/v1/test/clock', { now: later })).status, 200);
        await hq.goto(`${srv.url}/#/incidents/INC-2026-0003`);
        await hq.getByTestId('incident-breached').waitFor();
        assert.match(await hq.getByTestId('incident-breaches').textContent(), /启动/);

        const ref = '/api/v1/incidents/INC-2026-0003';
        assert.equal((await apiCall(leader, 'POST', `${ref}/activate`, { level: 'level-3' })).status, 200);
        assert.equal((await apiCall(hq, 'POST', `${ref}/resolve`, { summary: '已更换电池' })).status, 200);
        assert.equal((await apiCall(leader, 'POST', `${ref}/close`, {})).status, 200);
        const got = await apiCall(hq, 'GET', ref);
        const inc = got.body;
        assert.equal(inc && inc.status, 'closed', JSON.stringify(got));
        assert.ok(inc.breaches.includes('activate'), JSON.stringify(inc.breaches));

        // The room: closed, the missed target in the targets' history, no
        // Overdue badge and no overdue timer.
        await hq.goto(`${srv.url}/#/incidents/INC-2026-0003`);
        await hq.locator('[data-testid="incident-status"][data-status="closed"]').waitFor();
        assert.equal(await hq.getByTestId('incident-breached').count(), 0);
        assert.equal(await hq.locator('#view .timer.overdue').count(), 0);
        assert.match(await hq.getByTestId('incident-breaches').textContent(), /启动/);
        const head = await hq.getByTestId('incident-head').innerText();
        assert.ok(!/超时|逾期|Overdue/i.test(head), head);
        // The list: the row is not marked late; the dashboard does not show it.
        await hq.goto(`${srv.url}/#/incidents`);
        const row = hq.locator('[data-testid="incident-row"][data-number="INC-2026-0003"]');
        await row.waitFor();
        assert.equal(await row.evaluate((tr) => tr.classList.contains('late')), false);
        for (const p of [admin, leader, hq])
            assertClean(p);
        for (const p of [admin, leader, hq])
            await p.ctx.close();
    } finally {
        await srv.stop();
    }
});

// Last: it leaves this address's attempts for one login spent.
test('the sign-in page shows the wait a 429 asks for, and counts it down', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/#/signin`);
    await page.getByTestId('signin-login').waitFor();
    // Five wrong passwords for one login from one address spend its pair's
    // attempts; the sixth is refused with Retry-After.
    const codes = await page.evaluate(async () => {
        const out = [];
        for (let i = 0; i < 6; i++) {
            const r = await fetch('/api/v1/session', {
                method: 'POST', headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ login: 'ghost-user', password: 'wrong-password' }),
            });
            out.push([r.status, r.headers.get('Retry-After')]);
        }
        return out;
    });
    assert.equal(codes.at(-1)[0], 429, JSON.stringify(codes));
    await page.getByTestId('signin-login').fill('ghost-user');
    await page.getByTestId('signin-password').fill('wrong-password');
    await page.getByTestId('signin-submit').click();
    const wait = page.getByTestId('signin-wait');
    await wait.waitFor();
    const first = await wait.textContent();
    assert.match(first, /请在 (\d+ 分 )?\d+ 秒 后重试/);
    assert.equal(await page.getByTestId('signin-submit').isDisabled(), true);
    await sleep(2200);
    const second = await wait.textContent();
    assert.notEqual(second, first, 'the wait counts down');
    // In English too.
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('signin-login').fill('ghost-user');
    await page.getByTestId('signin-password').fill('wrong-password');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-wait').waitFor();
    assert.match(await page.getByTestId('signin-wait').textContent(), /try again in (\d+ min )?\d+ s/);
    // The refused attempts are logged by the browser; nothing else may be.
    page.errors = page.errors.filter((e) => !/status of (401|429)/.test(e));
    assertClean(page);
    await page.ctx.close();
});
