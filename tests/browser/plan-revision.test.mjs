// plan-revision.test.mjs - command HQ starts a new draft of the plan in
// force in the console, edits it in the YAML editor (a problem is marked
// at its line as it is typed, and clicking it moves the caret there),
// saves it, reads the difference by section with the changed words
// marked, and submits it; the leadership finds it in 待我处理, approves
// and publishes it; each step's notice is in the delivery log for whom it
// concerns; a member of staff reads what changed and acknowledges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, assertClean, screenshotPath, signedIn } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const as = (login, options) => signedIn(browser, server.url, login, options);

// An API call in the page's session (with its CSRF token for writes).
function call(page, method, path, body) {
    return page.evaluate(async ([m, p, b]) => {
        const headers = { Accept: 'application/json' };
        const csrf = sessionStorage.getItem('erms.csrf');
        if (b !== null) {
            headers['Content-Type'] = 'application/json';
            if (csrf)
                headers['X-CSRF-Token'] = csrf;
        }
        const r = await fetch(p, { method: m, headers, body: b === null ? undefined : JSON.stringify(b) });
        return { status: r.status, body: await r.json().catch(() => null) };
    }, [method, path, body === undefined ? null : body]);
}

// Type text into the editor as a paste would (one input event).
async function type(locator, text) {
    await locator.evaluate((el, v) => {
        el.focus();
        el.value = v;
        el.dispatchEvent(new Event('input', { bubbles: true }));
    }, text);
}

async function notices(admin, event) {
    const r = await call(admin, 'GET', '/api/v1/notifications?limit=500');
    assert.equal(r.status, 200);
    return r.body.items.filter((m) => m.event === event);
}

async function waitNotice(admin, event, recipient) {
    for (let i = 0; i < 100; i++) {
        const list = await notices(admin, event);
        const m = list.find((x) => x.recipient === recipient);
        if (m)
            return m;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no ${event} notice for ${recipient}`);
}

test('a plan is revised, approved and published in the console, and staff read the changes', async () => {
    // E-mail for the people involved, and an e-mail channel (the messages
    // are in the delivery log whether or not the server answers).
    const admin = await as('admin');
    const ur = await call(admin, 'GET', '/api/v1/users');
    assert.equal(ur.status, 200, JSON.stringify(ur.body));
    const users = ur.body.items;
    const email = {};
    for (const login of ['leader', 'commander', 'tech']) {
        const u = users.find((x) => x.login === login);
        email[login] = `${login}@example.com`;
        const r = await call(admin, 'PATCH', `/api/v1/users/${u.id}`, { email: email[login] });
        assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const ch = await call(admin, 'POST', '/api/v1/channels', {
        name: 'mail', kind: 'email', config: { host: '127.0.0.1', port: 9, tls: 'none', from: 'erms@example.com' },
    });
    assert.equal(ch.status, 201, JSON.stringify(ch.body));

    // Command HQ: a new draft from the version in force.
    const hq = await as('commander');
    await hq.getByTestId('nav-plans').click();
    await hq.getByTestId('plan-new-draft').waitFor();
    await hq.getByTestId('plan-draft-new').click();
    const editor = hq.getByTestId('plan-editor');
    await editor.waitFor();
    await hq.getByTestId('plan-basis').waitFor();
    const status = hq.getByTestId('plan-editor-status');
    await hq.locator('[data-testid="plan-editor-status"].ok').waitFor();
    const yaml = hq.getByTestId('plan-editor-yaml');
    const text = await yaml.inputValue();
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /^\s+ack_min: 5\b/.test(l));
    assert.ok(at > 0, 'the file has a level with ack_min: 5');

    // A mistake is marked at its line as it is typed.
    lines[at] = lines[at].replace('ack_min: 5', 'ack_min: -5');
    await type(yaml, lines.join('\n'));
    const badLine = hq.locator(`[data-testid="plan-editor-gutter"] .ln.err[data-line="${at + 1}"]`);
    await badLine.waitFor();
    assert.match(await status.textContent(), /1 个问题/);
    const problem = hq.getByTestId('plan-editor-problem').first();
    assert.match(await problem.textContent(), /ack_min.*-5/);
    assert.equal(await problem.getAttribute('data-line'), String(at + 1));
    await problem.click();
    const caretLine = await yaml.evaluate((el) => el.value.slice(0, el.selectionStart).split('\n').length);
    assert.equal(caretLine, at + 1);
    await editor.screenshot({ path: screenshotPath('plan-editor.png') });
    // Saving is refused while the file has a problem.
    await hq.getByTestId('plan-editor-save').click();
    await hq.getByTestId('plan-editor-fix').waitFor();

    // Fixed, and a measure reworded.
    lines[at] = lines[at].replace('ack_min: -5', 'ack_min: 3');
    const fixed = lines.join('\n').replace('全力抢修，尽快恢复系统运行', '全力抢修，30 分钟内恢复系统运行');
    await type(yaml, fixed);
    await hq.locator('[data-testid="plan-editor-status"].ok').waitFor();
    assert.equal(await hq.locator('[data-testid="plan-editor-gutter"] .ln.err').count(), 0);
    const typed = await yaml.elementHandle();
    await hq.getByTestId('plan-editor-save').click();
    // The page is drawn again with the saved draft: wait until the editor
    // typed in is gone, then for the new one's text (the old one holds the
    // same text, and the new one is empty until the draft is in it).
    await hq.waitForFunction((el) => !el.isConnected, typed);
    await hq.locator('[data-testid="plan-version-2"][data-status="draft"]').waitFor();
    await hq.waitForFunction(() => /ack_min: 3/.test(
        document.querySelector('[data-testid="plan-editor-yaml"]')?.value || ''));
    await hq.locator('[data-testid="plan-editor-status"].ok').waitFor();

    // The difference, by section and item, with the words that changed.
    await hq.getByTestId('plan-diff-from').selectOption('1');
    await hq.getByTestId('plan-diff-to').selectOption('2');
    await hq.getByTestId('plan-diff-submit').click();
    const view = hq.getByTestId('plan-diff-view');
    await view.waitFor();
    const levels = view.locator('[data-testid="plan-diff-section"][data-section="levels"]');
    await levels.waitFor();
    assert.match(await levels.locator('h3').textContent(), /响应/);
    const level1 = levels.locator('[data-testid="plan-diff-item"][data-item="level-1"]');
    assert.match(await level1.locator('h4').textContent(), /一级响应/);
    const words = level1.getByTestId('plan-diff-words').first();
    assert.equal(await words.locator('del').first().textContent(), '5');
    assert.equal(await words.locator('ins').first().textContent(), '3');
    assert.ok(await view.locator('ins', { hasText: '30' }).count() >= 1, 'the new words are marked');
    await view.scrollIntoViewIfNeeded();
    await hq.screenshot({ path: screenshotPath('plan-diff.png') });

    // Submitted: the leadership is told.
    await hq.getByTestId('plan-version-2').getByTestId('plan-submit').click();
    await hq.locator('[data-testid="plan-version-2"][data-status="in_review"]').waitFor();
    const sub = await waitNotice(admin, 'plan.submitted', email.leader);
    assert.match(sub.subject, /预案待审批/);
    assertClean(hq);
    await hq.ctx.close();

    // The leadership: in 待我处理, approved (the author told), published.
    const leader = await as('leader');
    const pending = leader.getByTestId('dashboard-plans-pending');
    await pending.waitFor();
    await pending.locator('a').first().click();
    await leader.getByTestId('plan-version-2').getByTestId('plan-approve').click();
    await leader.locator('[data-testid="plan-version-2"][data-status="approved"]').waitFor();
    const appr = await waitNotice(admin, 'plan.approved', email.commander);
    assert.match(appr.subject, /预案已批准/);
    await leader.getByTestId('plan-version-2').getByTestId('plan-publish').click();
    await leader.locator('[data-testid="plan-version-2"][data-status="published"]').waitFor();
    const pub = await waitNotice(admin, 'plan.published', email.tech);
    assert.match(pub.subject, /新版预案已发布/);
    await waitNotice(admin, 'plan.published', email.commander);
    assertClean(leader);
    await leader.ctx.close();

    // Staff read what changed, then acknowledge.
    const tech = await as('tech');
    await tech.getByTestId('nav-plans').click();
    const changes = tech.getByTestId('plan-ack-changes');
    await changes.waitFor();
    await changes.getByTestId('plan-diff-view').waitFor();
    assert.match(await changes.textContent(), /30 分钟内/);
    await tech.getByTestId('plan-ack').click();
    await tech.locator('[data-testid="plan-ack-state"]').filter({ hasText: /已确认|acknowledged/i }).first().waitFor();
    assertClean(tech);
    await tech.ctx.close();
    assertClean(admin);
    await admin.ctx.close();
});
