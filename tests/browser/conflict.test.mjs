// conflict.test.mjs - nothing lost when two people act at once. Command HQ
// and its deputy, each in a browser context of their own, open the resolve
// form of one incident and type a summary; the first to send resolves it,
// the second sees who resolved it and when, with their own text still in
// the form. A live update arriving while a note is being typed leaves the
// note as it is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, assertClean, signIn, statusIs } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function as(login) {
    const page = await newPage(browser);
    page.on('dialog', (d) => d.accept());	// resolving with tasks open
    await signIn(page, server.url, login);
    return page;
}

// A call of the console's own API client in page's session.
function call(page, method, path, body) {
    return page.evaluate(async ([m, p, b]) => {
        const { api } = await import('/lib/api.js');
        return api(m, p, b);
    }, [method, path, body]);
}

test('two resolve at once: the second keeps its text and sees who', async () => {
    const commander = await as('commander');
    const deputy = await as('deputy');
    const leader = await as('leader');
    const inc = await call(commander, 'POST', '/api/v1/incidents',
        { title: '网银系统响应缓慢', category: 'system-failure' });
    await call(commander, 'POST', `/api/v1/incidents/${inc.id}/ack`, {});
    const levels = (await call(leader, 'GET', '/api/v1/plans/current')).content.levels;
    await call(leader, 'POST', `/api/v1/incidents/${inc.id}/activate`,
        { level: levels[levels.length - 1].key });

    for (const p of [commander, deputy]) {
        await p.goto(`${server.url}/#/incidents/${inc.number}`);
        await statusIs(p, 'active');
        await p.getByTestId('action-resolve').click();
        await p.getByTestId('action-form-resolve').waitFor();
    }
    await commander.getByTestId('action-summary').fill('主库已切换，业务恢复');
    await deputy.getByTestId('action-summary').fill('副指挥：重启应用后恢复');
    await commander.getByTestId('action-submit').click();
    await statusIs(commander, 'resolved');

    // The deputy's room heard of it live, and left the open form alone.
    await statusIs(deputy, 'resolved');
    assert.equal(await deputy.getByTestId('action-summary').inputValue(), '副指挥：重启应用后恢复');
    await deputy.getByTestId('action-submit').click();
    const box = deputy.getByTestId('conflict');
    await box.waitFor();
    const who = await deputy.getByTestId('conflict-who').textContent();
    assert.match(who, /张|指挥|commander/i, who);
    assert.equal(await deputy.getByTestId('action-summary').inputValue(), '副指挥：重启应用后恢复');
    const now = await call(deputy, 'GET', `/api/v1/incidents/${inc.id}`);
    assert.equal(now.summary, '主库已切换，业务恢复');
    assert.equal(now.updated_by.id, (await call(commander, 'GET', '/api/v1/me')).user.id);
    assert.ok(who.includes(now.updated_by.name), `${who} names ${now.updated_by.name}`);

    // Load theirs: the form goes, the room shows the incident as it is.
    await deputy.getByTestId('conflict-load').click();
    await deputy.getByTestId('action-form-resolve').waitFor({ state: 'detached' });
    // The refused write itself is the browser's one logged 409.
    deputy.errors = deputy.errors.filter((e) => !/status of 409/.test(e));
    for (const p of [commander, deputy, leader])
        assertClean(p);
});

test('a live update does not wipe a note being typed', async () => {
    const commander = await as('commander');
    const deputy = await as('deputy');
    const inc = await call(deputy, 'POST', '/api/v1/incidents',
        { title: '机房温度过高', category: 'system-failure' });
    await commander.goto(`${server.url}/#/incidents/${inc.number}`);
    await statusIs(commander, 'reported');
    const note = commander.getByTestId('note-text');
    await note.click();
    await note.pressSequentially('空调已报修，');
    const entries = await commander.getByTestId('timeline-entry').count();
    await call(deputy, 'POST', `/api/v1/incidents/${inc.id}/ack`, {});
    await statusIs(commander, 'acknowledged');
    await commander.waitForFunction((n) =>
        document.querySelectorAll('[data-testid="timeline-entry"]').length > n, entries);
    await note.pressSequentially('预计一小时内到场');
    assert.equal(await note.inputValue(), '空调已报修，预计一小时内到场');
    assert.equal(await commander.evaluate(() => document.activeElement?.dataset.testid), 'note-text');
    assertClean(commander);
});
