// The erms console: hash routing over one page per module. Talks only to
// the API; builds the DOM with createElement/textContent; sends the CSRF
// token on every write.

import { api, setUnauthorizedHandler } from './lib/api.js';
import { h, clear, $, $$ } from './lib/dom.js';
import { t, getLang, setLang, applyStaticText, onLangChange, addTexts } from './lib/i18n.js';
import { session, believedSignedIn, resume, forget, signOut, isSignedIn, can } from './lib/session.js';
import { startEvents, stopEvents, onEventState } from './lib/sse.js';
import { startTicker, resetFormatters } from './lib/time.js';
import { invalidatePlan } from './lib/plan.js';
import { resetPeople } from './lib/people.js';
import { toast, errorBox } from './lib/ui.js';

import * as signinPage from './pages/signin.js';
import * as dashboardPage from './pages/dashboard.js';
import * as reportPage from './pages/report.js';
import * as incidentPage from './pages/incident.js';
import * as incidentsPage from './pages/incidents.js';
import * as plansPage from './pages/plans.js';
import * as drillsPage from './pages/drills.js';
import * as suppliesPage from './pages/supplies.js';
import * as fundsPage from './pages/funds.js';
import * as adminPage from './pages/admin.js';
import * as integrationsPage from './pages/integrations.js';
import * as dutyPage from './pages/duty.js';
import * as statsPage from './pages/stats.js';
import * as profilePage from './pages/profile.js';
import * as regulatoryPage from './pages/regulatory.js';

addTexts({
    'zh-CN': { 'nav.menu': '菜单', 'nav.stats': '统计', 'nav.duty': '值班', 'nav.regulatory': '监管报告' },
    en: { 'nav.menu': 'Menu', 'nav.stats': 'Statistics', 'nav.duty': 'On duty', 'nav.regulatory': 'Regulator' },
});

const ROUTES = [
    { re: /^\/signin$/, page: signinPage, name: 'signin', open: true },
    { re: /^\/$/, page: dashboardPage, name: 'dashboard' },
    { re: /^\/report$/, page: reportPage, name: 'report' },
    { re: /^\/incidents$/, page: incidentsPage, name: 'incidents' },
    { re: /^\/incidents\/([^/]+)$/, page: incidentPage, name: 'incidents' },
    { re: /^\/plans$/, page: plansPage, name: 'plans' },
    { re: /^\/drills(?:\/(\d+))?$/, page: drillsPage, name: 'drills' },
    { re: /^\/supplies(?:\/(\d+))?$/, page: suppliesPage, name: 'supplies' },
    { re: /^\/funds$/, page: fundsPage, name: 'funds' },
    { re: /^\/stats$/, page: statsPage, name: 'stats' },
    { re: /^\/regulatory$/, page: regulatoryPage, name: 'regulatory' },
    { re: /^\/admin(?:\/([a-z-]+))?$/, page: adminPage, name: 'admin' },
    { re: /^\/integrations(?:\/(\d+))?$/, page: integrationsPage, name: 'integrations' },
    { re: /^\/duty$/, page: dutyPage, name: 'duty' },
    { re: /^\/profile$/, page: profilePage, name: 'profile' },
];

const AFTER_SIGNIN = 'erms.afterSignin';
let current = null;      // the live page context
let explicitLang = false; // chosen on the sign-in page, before signing in
let eventState = 'off';

function showEventState() {
    const el = $('#live');
    el.dataset.state = eventState;
    el.textContent = t(`live.${eventState}`);
    el.title = t(`live.${eventState}.title`);
}

function parseHash() {
    const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    let decoded = path;
    try {
        decoded = decodeURIComponent(path);
    } catch {
        // keep it as it came
    }
    return { path: decoded, query };
}

export function navigate(hash) {
    if (location.hash === hash)
        route();
    else
        location.hash = hash;
}

function makeContext(root, params, query) {
    const cleanups = [];
    const ctx = {
        root, params, query, dead: false,
        alive: () => !ctx.dead,
        onCleanup(fn) {
            if (ctx.dead)
                fn();
            else
                cleanups.push(fn);
        },
        kill() {
            ctx.dead = true;
            for (const fn of cleanups.splice(0))
                try {
                    fn();
                } catch {
                    // nothing to do
                }
        },
        navigate,
        signedIn,
        rerender: () => route({ focus: false }),
    };
    return ctx;
}

async function route(opts = {}) {
    const { path, query } = parseHash();
    let match = null;
    let params = [];
    for (const r of ROUTES) {
        const m = path.match(r.re);
        if (m) {
            match = r;
            params = m.slice(1);
            break;
        }
    }
    if (!isSignedIn() && !(match && match.open)) {
        if (location.hash && location.hash !== '#/signin' && location.hash.startsWith('#/'))
            sessionStorage.setItem(AFTER_SIGNIN, location.hash);
        if (location.hash !== '#/signin') {
            location.replace('#/signin');
            return;
        }
    }
    if (isSignedIn() && match && match.name === 'signin') {
        location.replace('#/');
        return;
    }
    if (current)
        current.kill();
    setMenu(false);
    const view = $('#view');
    clear(view);
    const root = h('div', { class: ['page', match ? `page-${match.name}` : 'page-missing'] });
    view.append(root);
    const ctx = makeContext(root, params, query);
    current = ctx;
    for (const a of $$('#nav a')) {
        if (match && a.dataset.route === match.name)
            a.setAttribute('aria-current', 'page');
        else
            a.removeAttribute('aria-current');
    }
    if (!match) {
        root.append(h('section', { class: 'card' },
            h('h1', { text: t('notfound.title') }),
            h('p', {}, h('a', { href: '#/', text: t('notfound.back') }))));
        document.title = `${t('notfound.title')} · erms`;
        return;
    }
    try {
        await match.page.render(ctx);
    } catch (e) {
        if (ctx.alive() && e && e.status !== 401) {
            root.append(errorBox(e, 'page-error'));
            console.warn(e);
        }
    }
    if (opts.focus !== false && ctx.alive() && !ctx.keepFocus) {
        const h1 = root.querySelector('h1');
        if (h1 && document.activeElement === document.body) {
            h1.tabIndex = -1;
            h1.focus({ preventScroll: true });
        }
    }
}

/** The sections' menu of a narrow screen (CSS shows the button there). */
function setMenu(open) {
    $('.bar').classList.toggle('menu-open', open);
    $('#menu').setAttribute('aria-expanded', open ? 'true' : 'false');
}

function renderChrome() {
    applyStaticText();
    const signedIn = isSignedIn();
    $('#nav').hidden = !signedIn;
    $('#menu').hidden = !signedIn;
    $('#signout').hidden = !signedIn;
    $('#who').hidden = !signedIn;
    $('#live').hidden = !signedIn;
    if (signedIn) {
        $('#who').textContent = session.user.display_name || session.user.login;
        $('#who').title = `${session.user.login} · ${t('nav.profile')}`;
        const admin = session.user.is_admin || can('user.list') || can('channel.manage') ||
            can('notification.read');
        $('[data-testid="nav-admin"]').hidden = !admin;
        $('[data-testid="nav-funds"]').hidden = !fundsPage.mayReadFunds();
        $('[data-testid="nav-integrations"]').hidden = !integrationsPage.mayManageIntegrations();
    }
    showEventState();
    const lang = $('#lang');
    lang.textContent = getLang() === 'en' ? '中文' : 'English';
    lang.lang = getLang() === 'en' ? 'zh-CN' : 'en';
    lang.setAttribute('aria-label', t('lang.switch'));
}

function afterSignIn() {
    startEvents();
    renderChrome();
}

export async function signedIn() {
    // The user's language is remembered on the server; a choice made on
    // the sign-in page itself is saved to it.
    if (explicitLang && session.user.locale !== getLang()) {
        try {
            session.user = await api('PATCH', '/api/v1/me', { locale: getLang() });
        } catch {
            // keep the choice locally
        }
    } else if (session.user.locale && session.user.locale !== getLang()) {
        setLang(session.user.locale);
    }
    explicitLang = false;
    afterSignIn();
    const target = sessionStorage.getItem(AFTER_SIGNIN);
    sessionStorage.removeItem(AFTER_SIGNIN);
    navigate(target && target !== '#/signin' ? target : '#/');
}

function signedOut(message) {
    forget();
    stopEvents();
    invalidatePlan();
    resetPeople();
    renderChrome();
    if (message)
        sessionStorage.setItem('erms.signinNotice', message);
    navigate('#/signin');
}

setUnauthorizedHandler(() => {
    if (isSignedIn()) {
        if (location.hash && location.hash !== '#/signin')
            sessionStorage.setItem(AFTER_SIGNIN, location.hash);
        signedOut(t('signin.expired'));
    }
});

async function switchLanguage() {
    const next = getLang() === 'en' ? 'zh-CN' : 'en';
    setLang(next);
    if (isSignedIn()) {
        try {
            session.user = await api('PATCH', '/api/v1/me', { locale: next });
        } catch (e) {
            toast(e.message, 'error');
        }
    } else {
        explicitLang = true;
    }
}

onLangChange(() => {
    resetFormatters();
    invalidatePlan();
    renderChrome();
    route({ focus: false });
    $('#lang').focus();
});

async function boot() {
    renderChrome();
    startTicker();
    $('#lang').addEventListener('click', switchLanguage);
    $('#menu').addEventListener('click', () => setMenu($('#menu').getAttribute('aria-expanded') !== 'true'));
    document.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape' && $('#menu').getAttribute('aria-expanded') === 'true') {
            setMenu(false);
            $('#menu').focus();
        }
    });
    $('#signout').addEventListener('click', async () => {
        try {
            await signOut();
        } catch {
            // signed out locally all the same
        }
        signedOut(t('signin.bye'));
    });
    $('#skip').addEventListener('click', (ev) => {
        ev.preventDefault();
        $('#view').focus();
    });
    onEventState((s) => {
        eventState = s;
        showEventState();
    });
    if (believedSignedIn()) {
        try {
            await resume();
            if (session.user.locale && session.user.locale !== getLang())
                setLang(session.user.locale, { silent: true });
            afterSignIn();
        } catch (e) {
            forget();
            if (e.status !== 401)
                sessionStorage.setItem('erms.signinNotice', e.message);
        }
    }
    renderChrome();
    window.addEventListener('hashchange', () => route());
    route({ focus: false });
}

export { signedOut };

boot();
