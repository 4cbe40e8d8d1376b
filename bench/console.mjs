// console.mjs - how long the console's dashboard takes to show, in
// Debian's Chromium over loopback, on a server that is already running:
//   node bench/console.mjs URL [LOADS]
// (bench/run.sh starts the server on the seeded database and calls it).
// Signs in as the bench's administrator (bench / bench-pass-1), then
// measures from navigation to the dashboard's active incidents on screen,
// LOADS times (default 5) after one warm-up, and prints
// "median M worst W" in milliseconds.
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const root = resolve(new URL('.', import.meta.url).pathname, '..');
const require = createRequire(join(root, 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');
const url = process.argv[2];
const loads = Number(process.argv[3] || 5);
if (!url) {
    console.error('usage: node bench/console.mjs URL [LOADS]');
    process.exit(2);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
    const page = await browser.newPage();
    await page.goto(`${url}/#/signin`);
    await page.getByTestId('signin-login').fill('bench');
    await page.getByTestId('signin-password').fill('bench-pass-1');
    await page.getByTestId('signin-submit').click();
    await page.waitForFunction(() => !location.hash.startsWith('#/signin'));
    const times = [];
    for (let i = 0; i <= loads; i++) {
        await page.goto('about:blank');
        const t0 = Date.now();
        await page.goto(`${url}/#/`);
        await page.getByTestId('dashboard-incident').first().waitFor({ timeout: 60000 });
        if (i > 0)
            times.push(Date.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`median ${times[Math.floor(times.length / 2)]} worst ${times[times.length - 1]}`);
} finally {
    await browser.close();
}
