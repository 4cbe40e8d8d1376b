// harness.mjs - what every browser test needs: a real erms server (the
// demo: users of every role, the published sample plan, a few incidents)
// on a loopback port, Debian's Chromium through playwright-core, and a
// page that fails the test on any console error or CSP violation.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(new URL('.', import.meta.url).pathname, '..', '..');
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
export const PASSWORD = 'erms-demo';

const SANITIZER = /AddressSanitizer|LeakSanitizer|runtime error:/;

function sleep(ms) {
    return new Promise((r) => setTimeout(r, ms));
}

// Start `erms demo` on a free loopback port; resolves to {url, stop}.
// args: more options of `erms demo` (e.g. --allow-private-webhooks).
export async function startServer(args = []) {
    const bin = process.env.ERMS_BIN || join(ROOT, 'build', 'erms');
    const dir = mkdtempSync(join(tmpdir(), 'erms-browser-'));
    const portFile = join(dir, 'port');
    let stderr = '';
    const proc = spawn(bin, ['demo', '--data', join(dir, 'data'), '--listen',
        '127.0.0.1:0', '--port-file', portFile, ...args],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ERMS_LOG_LEVEL: 'warn' } });
    proc.stderr.on('data', (d) => { stderr += d; });
    for (let i = 0; i < 300 && !existsSync(portFile); i++)
        await sleep(50);
    if (!existsSync(portFile))
        throw new Error('erms demo did not start:\n' + stderr);
    const url = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
    return {
        url,
        async stop() {
            const done = new Promise((r) => proc.on('exit', (code) => r(code)));
            proc.kill('SIGTERM');
            const code = await done;
            rmSync(dir, { recursive: true, force: true });
            if (code !== 0 || SANITIZER.test(stderr))
                throw new Error(`erms exited with ${code}:\n${stderr.slice(-4000)}`);
        },
    };
}

export async function launch() {
    return chromium.launch({
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--disable-default-apps', '--metrics-recording-only'],
    });
}

// A new context and page that records every console error, page error
// and CSP violation into page.errors; call assertClean(page) to fail.
export async function newPage(browser, options = {}) {
    const context = await browser.newContext({
        viewport: options.viewport || { width: 1280, height: 900 },
        locale: options.locale || 'zh-CN',
        timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.errors = [];
    page.on('console', (m) => {
        if (m.type() === 'error')
            page.errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => page.errors.push(`page: ${e.message}`));
    page.ctx = context;
    return page;
}

export function assertClean(page) {
    if (page.errors.length)
        throw new Error('console errors or CSP violations:\n' + page.errors.join('\n'));
}

export async function signIn(page, url, login) {
    await page.goto(`${url}/#/signin`);
    await page.getByTestId('signin-login').fill(login);
    await page.getByTestId('signin-password').fill(PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.waitForFunction(() => !location.hash.startsWith('#/signin'));
}

// A new page of browser signed in at url as login (newPage's options).
export async function signedIn(browser, url, login, options) {
    const page = await newPage(browser, options);
    await signIn(page, url, login);
    return page;
}

// A JSON request from a signed-in page (its session and CSRF token):
// {status, body}.
export async function call(page, method, path, body) {
    return page.evaluate(async ([m, p, b]) => {
        const csrf = (await (await fetch('/api/v1/session')).json()).csrf_token;
        const none = b === undefined || b === null;
        const r = await fetch(p, {
            method: m, credentials: 'same-origin',
            headers: none ? {} : { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
            body: none ? undefined : JSON.stringify(b),
        });
        return { status: r.status, body: await r.json().catch(() => null) };
    }, [method, path, body]);
}

export function screenshotPath(name) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    return join(SCREENSHOTS, name);
}

// Open action `name` in the command room and confirm it, filling fields.
export async function act(page, name, fill = async () => {}) {
    await page.getByTestId(`action-${name}`).click();
    await page.getByTestId(`action-form-${name}`).waitFor();
    await fill(page);
    await page.getByTestId('action-submit').click();
}

// Wait until the command room shows the incident in `status`.
export async function statusIs(page, status) {
    await page.locator(`[data-testid="incident-status"][data-status="${status}"]`)
        .waitFor({ timeout: 15000 });
}
