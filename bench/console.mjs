// console.mjs - how long the console's dashboard takes to show, on a
// database of 10,000 incidents, in Debian's Chromium over loopback.
// Usage (from the repository): node bench/console.mjs   (after
// `ninja -C build-bench erms erms-bench-seed`; bench/run.sh does both).
// Measures from navigation to the dashboard's active incidents on screen,
// five times after one warm-up, and prints the median and the worst.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const root = resolve(new URL('.', import.meta.url).pathname, '..');
const require = createRequire(join(root, 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');
const bin = join(root, 'build-bench', 'erms');
const dir = mkdtempSync(join(tmpdir(), 'erms-console-'));
const db = join(dir, 'erms.db');
const N = Number(process.env.N || 10000);

execFileSync(bin, ['init', '--db', db, '--admin', 'bench'], { input: 'bench-pass-1\n' });
execFileSync(join(root, 'build-bench', 'erms-bench-seed'), [db, String(N)],
    { env: { ...process.env, ERMS_SEED_PLAN: join(root, 'tests', 'data', 'plan-minimal.yaml') } });
const server = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file',
    join(dir, 'port'), '--log-level', 'warn'], { stdio: 'ignore' });
for (let i = 0; i < 200 && !existsSync(join(dir, 'port')); i++)
    await new Promise((r) => setTimeout(r, 50));
const url = `http://127.0.0.1:${readFileSync(join(dir, 'port'), 'utf8').trim()}`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage();
await page.goto(`${url}/#/signin`);
await page.getByTestId('signin-login').fill('bench');
await page.getByTestId('signin-password').fill('bench-pass-1');
await page.getByTestId('signin-submit').click();
await page.waitForFunction(() => !location.hash.startsWith('#/signin'));
const times = [];
for (let i = 0; i < 6; i++) {
    await page.goto('about:blank');
    const t0 = Date.now();
    await page.goto(`${url}/#/`);
    await page.getByTestId('dashboard-incident').first().waitFor();
    if (i > 0)
        times.push(Date.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`dashboard with ${N} incidents: median ${times[2]} ms, worst ${times[4]} ms (5 loads)`);
await browser.close();
server.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
