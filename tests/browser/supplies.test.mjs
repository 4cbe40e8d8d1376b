// supplies.test.mjs - emergency supplies in the console: command HQ (the
// demo has no member of the logistics team; command HQ holds the same
// right) imports supplies from CSV, adds one with the form and allocates
// units of it to an incident in progress. The quantity drops; allocating
// more than is left answers 409, says so clearly and changes nothing; the
// incident's command room lists the allocation.
// Screenshot: docs/screenshots/supplies.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, assertClean, signIn, screenshotPath } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const CSV = 'id,name,kind,location,quantity,unit,min_quantity,inspect_by,notes\r\n' +
    ',应急照明灯,照明,1 号库房,3,盏,5,,\r\n' +
    ',防汛沙袋,防汛,2 号库房,200,袋,50,,"每年汛期前清点"\r\n';

async function getJson(page, path) {
    return page.evaluate(async (p) => (await fetch(p)).json(), path);
}

test('a supply is added, allocated to an incident, and over-allocation is refused', async () => {
    const hq = await newPage(browser);
    await signIn(hq, server.url, 'commander');
    const active = await getJson(hq, '/api/v1/incidents?status=active&is_drill=false');
    const number = active.items[0].number;

    await hq.getByTestId('nav-supplies').click();
    await hq.getByTestId('supplies-table').waitFor(); // the demo's supplies

    // Two from CSV: the lamps are under their minimum.
    await hq.getByTestId('supply-import-open').click();
    await hq.getByTestId('supply-import-csv').fill(CSV);
    await hq.getByTestId('supply-import-submit').click();
    await hq.locator('[data-testid="supply-row"][data-name="防汛沙袋"]').waitFor();
    assert.equal(await hq.locator('[data-testid="supply-row"][data-name="应急照明灯"]').getAttribute('data-low'), '1');
    await hq.getByTestId('supplies-low').waitFor();

    // One with the form.
    await hq.getByTestId('supply-add-open').click();
    await hq.getByTestId('supply-f-name').fill('柴油发电机');
    await hq.getByTestId('supply-f-kind').fill('电力');
    await hq.getByTestId('supply-f-location').fill('2 号机房');
    await hq.getByTestId('supply-f-quantity').fill('5');
    await hq.getByTestId('supply-f-unit').fill('台');
    await hq.getByTestId('supply-f-min').fill('2');
    await hq.getByTestId('supply-f-inspect').fill('2030-06-30');
    await hq.getByTestId('supply-add-submit').click();
    const row = hq.locator('[data-testid="supply-row"][data-name="柴油发电机"]');
    await row.waitFor();
    assert.equal(await row.getByTestId('supply-row-quantity').textContent(), '5');
    const id = await row.getAttribute('data-id');

    // Allocate 2 to the incident: 3 are left.
    await row.getByTestId('supply-link').click();
    await hq.waitForURL(/#\/supplies\/\d+$/);
    await hq.locator('[data-testid="supply-quantity"][data-quantity="5"]').waitFor();
    await hq.getByTestId('supply-move-kind').selectOption('allocate');
    await hq.getByTestId('supply-move-quantity').fill('2');
    await hq.getByTestId('supply-move-incident').fill(number);
    await hq.getByTestId('supply-move-note').fill('机房临时供电');
    await hq.getByTestId('supply-move-submit').click();
    await hq.locator('[data-testid="supply-quantity"][data-quantity="3"]').waitFor();
    await hq.locator('[data-testid="supply-movement"][data-kind="allocate"][data-quantity="2"]').waitFor();

    // Allocate 10: refused, said clearly, nothing changes.
    await hq.getByTestId('supply-move-quantity').fill('10');
    await hq.getByTestId('supply-move-incident').fill(number);
    await hq.getByTestId('supply-move-submit').click();
    const err = hq.getByTestId('supply-move-error');
    await err.waitFor();
    const text = await err.textContent();
    assert.ok(text.includes('库存不足') && text.includes('3'), text);
    assert.equal(await hq.getByTestId('supply-quantity').getAttribute('data-quantity'), '3');
    assert.equal(await hq.getByTestId('supply-movement').count(), 1);
    const after = await getJson(hq, `/api/v1/supplies/${id}`);
    assert.equal(after.quantity, 3);
    assert.equal(after.movements.length, 1);
    // The refused request is the one the browser reports; nothing else may.
    hq.errors = hq.errors.filter((e) => !/status of 409/.test(e));

    // The list, with the lamps highlighted as low.
    await hq.getByTestId('nav-supplies').click();
    await hq.locator('[data-testid="supply-row"][data-name="柴油发电机"] [data-testid="supply-row-quantity"]')
        .filter({ hasText: /^3$/ }).waitFor();
    await hq.getByTestId('toast').waitFor({ state: 'hidden' });
    await hq.screenshot({ path: screenshotPath('supplies.png'), fullPage: true });

    // The incident's command room lists what it was given.
    await hq.goto(`${server.url}/#/incidents/${number}`);
    const given = hq.getByTestId('incident-supplies').getByTestId('incident-supply');
    await given.first().waitFor();
    assert.equal(await given.count(), 1);
    assert.equal(await given.getAttribute('data-kind'), 'allocate');
    assert.equal(await given.getAttribute('data-quantity'), '2');
    assert.ok((await given.textContent()).includes('柴油发电机'));

    assertClean(hq);
    await hq.ctx.close();
});
