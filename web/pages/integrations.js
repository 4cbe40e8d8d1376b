// #/integrations and #/integrations/ID: the monitors that may post alerts
// (administrators only). The list with what each received, a form for a
// new one; an integration's page with its address and key (shown once,
// after creation or rotation), ready configurations for the monitor, a
// test alert, and the forms of integration-forms.js (settings, routing
// rules, maintenance windows).

import { api } from '../lib/api.js';
import { h, replace, field, checkField, select, fieldError } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { can, session } from '../lib/session.js';
import { currentPlan, contentOf } from '../lib/plan.js';
import { subscribe, debounce } from '../lib/sse.js';
import { timeEl } from '../lib/time.js';
import { errorBox, emptyState, toast, busy, setTitle, messageOf, incidentLink, drillTag } from '../lib/ui.js';
import {
    categoryOptions, levelOptions, splitList, showFieldError, clearErrors,
    settingsForm, rulesEditor, maintenanceEditor,
} from './integration-forms.js';

export const KINDS = ['alertmanager', 'grafana', 'events', 'heartbeat'];

// The key of an integration just created or rotated: kept in memory only,
// for as long as its page stays open (a change of language redraws the
// page and keeps it; going elsewhere forgets it).
let secret = null;

export function mayManageIntegrations() {
    return Boolean(session.user && (session.user.is_admin || can('integration.manage')));
}

export async function render(ctx) {
    setTitle(t('int.title'));
    if (!mayManageIntegrations()) {
        ctx.root.append(h('section', { class: 'card', testid: 'integrations-forbidden' },
            h('h1', { text: t('int.title') }), emptyState(t('int.admins_only'))));
        return;
    }
    const id = ctx.params[0];
    if (id)
        await detailPage(ctx, Number(id));
    else
        await listPage(ctx);
}

// ---- helpers ------------------------------------------------------------------

function kindName(kind) {
    const k = `int.kind.${kind}`;
    return t(k) === k ? kind : t(k);
}

function stateBadge(integ, testid) {
    return h('span', {
        class: ['badge', integ.enabled ? 'status-resolved' : 'status-dismissed'], testid,
        dataset: { enabled: integ.enabled ? '1' : '0' },
    }, integ.enabled ? t('int.enabled') : t('int.disabled'));
}

async function copyText(text, from) {
    try {
        await navigator.clipboard.writeText(text);
        toast(t('copy.done'));
    } catch {
        // No clipboard here (an insecure origin, or no permission): select
        // the text so that the person can copy it.
        if (from.select) {
            from.focus();
            from.select();
        } else {
            const range = document.createRange();
            range.selectNodeContents(from);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
        }
        toast(t('copy.failed'), 'error');
    }
}

function copyButton(label, text, from, testid) {
    const b = h('button', { type: 'button', class: 'small secondary', testid, 'aria-label': label, text: t('copy') });
    b.addEventListener('click', () => copyText(text, from));
    return b;
}

/** The address a monitor posts to: absolute, even when the server gave a path. */
function absoluteUrl(url, key) {
    if (!url)
        return `${location.origin}/api/v1/intake/${key}`;
    if (url.startsWith('/'))
        return `${location.origin}${url}`;
    return url;
}

// ---- the list and the form for a new integration --------------------------------

async function listPage(ctx) {
    const [list, plan] = await Promise.all([
        api('GET', '/api/v1/integrations'),
        currentPlan().catch(() => null),
    ]);
    if (!ctx.alive())
        return;
    const content = contentOf(plan);
    const items = list.items || [];
    const rows = items.map((x) => h('tr', {
        testid: 'integration-row', dataset: { id: x.id, kind: x.kind }, class: x.enabled ? '' : 'disabled-row',
    },
    h('td', {}, h('a', { href: `#/integrations/${x.id}`, class: 'plain', testid: 'integration-link', text: x.name })),
    h('td', { text: kindName(x.kind) }),
    h('td', {}, stateBadge(x)),
    h('td', { class: 'nowrap' }, x.last_received_at ? timeEl(x.last_received_at) : h('span', { class: 'muted', text: t('never') })),
    h('td', { class: 'num', testid: 'integration-alerts' }, `${x.alerts_firing} / ${x.alerts_total}`),
    h('td', {}, h('code', { text: `${x.key_prefix}…` }))));

    ctx.root.append(
        h('div', { class: 'page-head' }, h('div', {}, h('h1', { text: t('int.title') }),
            h('p', { class: 'muted', text: t('int.lead') }))),
        h('section', { class: 'card', 'aria-labelledby': 'int-list-title' },
            h('h2', { id: 'int-list-title', text: t('int.list') }),
            items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'integrations' },
                h('thead', {}, h('tr', {}, ['int.col.name', 'int.col.kind', 'int.col.state', 'int.col.last',
                    'int.col.alerts', 'int.col.key'].map((k) => h('th', { scope: 'col', text: t(k) })))),
                h('tbody', {}, rows)))
                : emptyState(t('int.none'), 'integrations-empty')),
        createForm(ctx, content));
}

function createForm(ctx, content) {
    const c = {
        name: h('input', { testid: 'int-name', maxlength: 128, autocomplete: 'off' }),
        kind: select(KINDS.map((k) => ({ value: k, label: kindName(k) })), { testid: 'int-kind' }),
        category: select(categoryOptions(content, t('int.f.category.default')), { testid: 'int-category' }),
        level: select(levelOptions(content, t('int.f.level.none')), { testid: 'int-level' }),
        interval_s: h('input', { type: 'number', min: 10, max: 604800, step: 1, value: '300', class: 'num', testid: 'int-interval' }),
        group_by: h('input', { testid: 'int-group-by', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', placeholder: 'alertname, cluster' }),
        auto_dismiss: h('input', { type: 'checkbox', testid: 'int-auto-dismiss' }),
    };
    const intervalField = field(t('int.f.interval'), c.interval_s, { hint: t('int.f.interval.hint') });
    const groupField = field(t('int.f.group_by'), c.group_by, { hint: t('int.f.group_by.hint'), optional: t('optional') });
    const showKind = () => {
        intervalField.hidden = c.kind.value !== 'heartbeat';
        groupField.hidden = c.kind.value === 'heartbeat';
    };
    c.kind.addEventListener('change', showKind);
    showKind();
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'int-submit', text: t('int.create') });
    const form = h('form', { class: 'grid-form', novalidate: true, testid: 'int-form' },
        field(t('int.f.name'), c.name), field(t('int.f.kind'), c.kind),
        field(t('int.f.category'), c.category, { hint: t('int.f.category.hint') }),
        field(t('int.f.level'), c.level),
        intervalField, groupField,
        checkField(t('int.f.auto_dismiss'), c.auto_dismiss, { class: 'full' }),
        slot, h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        clearErrors(c, slot);
        const heartbeat = c.kind.value === 'heartbeat';
        for (const k of heartbeat ? ['name', 'interval_s'] : ['name'])
            if (!c[k].value.trim()) {
                fieldError(c[k], t('required'));
                c[k].focus();
                return;
            }
        const body = { name: c.name.value.trim(), kind: c.kind.value, auto_dismiss: c.auto_dismiss.checked };
        if (c.category.value)
            body.category = c.category.value;
        if (c.level.value)
            body.level = c.level.value;
        if (heartbeat)
            body.interval_s = Number(c.interval_s.value);
        else
            body.group_by = splitList(c.group_by.value);
        busy(submit, async () => {
            try {
                const r = await api('POST', '/api/v1/integrations', body);
                secret = { id: r.id, key: r.key, url: r.url };
                toast(t('int.created', { name: r.name }));
                ctx.navigate(`#/integrations/${r.id}`);
            } catch (e) {
                showFieldError(e, c, slot, 'int-error');
            }
        });
    });
    return h('section', { class: 'card', testid: 'int-create', 'aria-labelledby': 'int-new-title' },
        h('h2', { id: 'int-new-title', text: t('int.create') }), form);
}

// ---- one integration ------------------------------------------------------------

async function detailPage(ctx, id) {
    const hash = `#/integrations/${id}`;
    ctx.onCleanup(() => {
        if (location.hash !== hash && secret && secret.id === id)
            secret = null;
    });
    const [integ, plan] = await Promise.all([
        api('GET', `/api/v1/integrations/${id}`),
        currentPlan().catch(() => null),
    ]);
    if (!ctx.alive())
        return;
    const st = { integ, content: contentOf(plan) };
    const shown = () => (secret && secret.id === st.integ.id ? secret : null);
    setTitle(`${integ.name} · ${t('int.title')}`);

    const headSlot = h('div', { class: 'slot' });
    const confirmSlot = h('div', { class: 'slot' });
    const testSlot = h('div', { class: 'slot', role: 'status', testid: 'int-test-result' });
    const secretSlot = h('div', { class: 'slot' });
    const setupSlot = h('div', { class: 'slot' });
    const crumb = h('span', { text: integ.name });

    const actions = {
        test: h('button', { type: 'button', class: 'primary', testid: 'int-test', text: t('int.test') }),
        rotate: h('button', { type: 'button', class: 'secondary', testid: 'int-rotate', text: t('int.rotate') }),
        toggle: h('button', { type: 'button', class: 'secondary', testid: 'int-toggle' }),
        remove: h('button', { type: 'button', class: 'danger', testid: 'int-delete', text: t('int.delete') }),
    };

    function renderHead() {
        const x = st.integ;
        actions.toggle.textContent = x.enabled ? t('int.disable') : t('int.enable');
        replace(headSlot,
            h('div', { class: 'inc-head-line' },
                h('span', { class: 'badge kind-tag', testid: 'int-kind-badge', text: kindName(x.kind) }),
                stateBadge(x, 'int-state')),
            h('h1', { testid: 'int-title', text: x.name }),
            h('dl', { class: 'meta' },
                h('dt', { text: t('int.key_prefix') }), h('dd', {}, h('code', { testid: 'int-key-prefix', text: `${x.key_prefix}…` })),
                h('dt', { text: t('int.last_received') }), h('dd', {},
                    x.last_received_at ? timeEl(x.last_received_at, 'seconds') : h('span', { class: 'muted', text: t('never') }),
                    ' ', h('span', { class: 'muted small', text: `(${t('int.received', { n: x.received })})` })),
                h('dt', { text: t('alerts.title') }), h('dd', { testid: 'int-alert-counts', text: t('int.alerts_summary', { f: x.alerts_firing, n: x.alerts_total }) }),
                h('dt', { text: t('int.created_at') }), h('dd', {}, timeEl(x.created_at))));
    }

    function confirm(text, yesLabel, button, run) {
        const yes = h('button', { type: 'button', class: 'danger', testid: 'int-confirm', text: yesLabel });
        const no = h('button', { type: 'button', class: 'secondary', testid: 'int-confirm-cancel', text: t('cancel') });
        const close = () => {
            replace(confirmSlot);
            button.focus();
        };
        no.addEventListener('click', close);
        yes.addEventListener('click', () => busy(yes, async () => {
            try {
                await run();
                replace(confirmSlot);
            } catch (e) {
                replace(confirmSlot, errorBox(e, 'int-action-error'));
            }
        }));
        const box = h('div', { class: 'alert warn confirm', role: 'group', 'aria-label': yesLabel, testid: 'int-confirm-box' },
            h('p', { text }), h('div', { class: 'form-actions' }, yes, no));
        box.addEventListener('keydown', (ev) => {
            if (ev.key === 'Escape')
                close();
        });
        replace(confirmSlot, box);
        no.focus();
    }

    actions.test.addEventListener('click', () => busy(actions.test, async () => {
        replace(testSlot);
        try {
            const r = await api('POST', `/api/v1/integrations/${st.integ.id}/test`, {});
            replace(testSlot, r.incident
                ? h('p', { class: 'alert info' }, t('int.test.opened'), ' ', incidentLink(r.incident), ' ',
                    r.incident.is_drill ? drillTag() : null)
                : h('p', { class: 'alert info', text: t('int.test.no_incident') }));
            refreshIntegration();
        } catch (e) {
            replace(testSlot, errorBox(e, 'int-test-error'));
        }
    }));
    actions.rotate.addEventListener('click', () => confirm(t('int.rotate.confirm'), t('int.rotate.yes'), actions.rotate, async () => {
        const r = await api('POST', `/api/v1/integrations/${st.integ.id}/rotate`, {});
        secret = { id: r.id, key: r.key, url: r.url };
        st.integ = r;
        renderHead();
        renderSecret();
        renderSetup();
        toast(t('int.rotated'));
        const key = secretSlot.querySelector('[data-testid="int-key"]');
        if (key)
            key.focus();
    }));
    actions.toggle.addEventListener('click', () => busy(actions.toggle, async () => {
        try {
            st.integ = await api('PATCH', `/api/v1/integrations/${st.integ.id}`, { enabled: !st.integ.enabled },
                { version: st.integ.version });
            renderHead();
            toast(t('saved'));
        } catch (e) {
            toast(messageOf(e), 'error');
        }
    }));
    actions.remove.addEventListener('click', () => confirm(t('int.delete.confirm', { name: st.integ.name }), t('int.delete.yes'), actions.remove, async () => {
        await api('DELETE', `/api/v1/integrations/${st.integ.id}`, {});
        secret = null;
        toast(t('int.deleted', { name: st.integ.name }));
        ctx.navigate('#/integrations');
    }));

    async function refreshIntegration() {
        try {
            const x = await api('GET', `/api/v1/integrations/${st.integ.id}`);
            if (ctx.alive()) {
                st.integ = x;
                renderHead();
            }
        } catch {
            // the counts stay as they were
        }
    }

    function renderSecret() {
        const s = shown();
        if (!s) {
            replace(secretSlot);
            return;
        }
        const url = absoluteUrl(s.url, s.key);
        const key = h('input', { readOnly: true, value: s.key, testid: 'int-key', class: 'code', spellcheck: 'false' });
        const addr = h('input', { readOnly: true, value: url, testid: 'int-url', class: 'code', spellcheck: 'false' });
        replace(secretSlot, h('section', { class: 'card secret', testid: 'int-secret', 'aria-labelledby': 'int-secret-title' },
            h('h2', { id: 'int-secret-title', text: t('int.secret.title') }),
            h('p', { class: 'alert warn', role: 'alert', testid: 'int-secret-warning', text: t('int.secret.warn') }),
            h('div', { class: 'copy-row' }, field(t('int.secret.url'), addr, { class: 'grow' }),
                copyButton(t('int.secret.copy_url'), url, addr, 'int-copy-url')),
            h('div', { class: 'copy-row' }, field(t('int.secret.key'), key, { class: 'grow' }),
                copyButton(t('int.secret.copy_key'), s.key, key, 'int-copy-key'))));
    }

    function renderSetup() {
        const s = shown();
        const parts = [];
        if (!s)
            parts.push(h('p', { class: 'muted small', testid: 'int-setup-hidden', text: t('int.setup.hidden') }));
        if (st.integ.kind === 'heartbeat')
            parts.push(h('p', { class: 'small', text: t('int.setup.heartbeat_hint', { s: st.integ.interval_s }) }));
        for (const ex of examples(st.integ, s)) {
            const code = h('pre', { class: 'snippet', testid: ex.testid, tabindex: 0 }, h('code', { text: ex.text }));
            parts.push(h('div', { class: 'snippet-box' },
                h('div', { class: 'snippet-head' }, h('h3', { text: ex.title }),
                    copyButton(`${t('int.setup.copy')}: ${ex.title}`, ex.text, code, `${ex.testid}-copy`)),
                code));
        }
        replace(setupSlot, parts);
    }

    ctx.root.replaceChildren(
        h('nav', { class: 'crumbs', 'aria-label': t('crumbs') },
            h('a', { href: '#/integrations', text: t('int.title') }), ' / ', crumb),
        h('section', { class: 'card inc-head', testid: 'int-head' }, headSlot,
            h('div', { class: 'action-bar', role: 'group', 'aria-label': t('room.actions') },
                actions.test, actions.rotate, actions.toggle, actions.remove),
            h('p', { class: 'hint', text: t('int.test.hint') }), confirmSlot, testSlot),
        secretSlot,
        h('section', { class: 'card', testid: 'int-setup', 'aria-labelledby': 'int-setup-title' },
            h('h2', { id: 'int-setup-title', text: t('int.setup') }), setupSlot),
        settingsForm(st, () => {
            renderHead();
            renderSetup();
            setTitle(`${st.integ.name} · ${t('int.title')}`);
            crumb.textContent = st.integ.name;
        }),
        rulesEditor(st),
        maintenanceEditor(st));
    renderHead();
    renderSecret();
    renderSetup();
    // An incident this integration opened or changed: its counts and last
    // received time have moved (only the head is drawn again).
    const refreshCounts = debounce(refreshIntegration, 500);
    ctx.onCleanup(refreshCounts.cancel);
    ctx.onCleanup(subscribe((kind, data) => {
        if (kind === 'open' || kind === 'incident' && data && data.integration_id === st.integ.id)
            refreshCounts();
    }));
    if (shown()) {
        const u = secretSlot.querySelector('[data-testid="int-url"]');
        if (u) {
            ctx.keepFocus = true;
            u.focus();
        }
    }
}

/** The configurations and commands to paste, with the key while it is shown, else <KEY>. */
function examples(integ, s) {
    const key = s ? s.key : '<KEY>';
    const url = s ? absoluteUrl(s.url, s.key) : `${location.origin}/api/v1/intake/<KEY>`;
    const base = url.replace(/\/api\/v1\/intake\/[^/]*$/, '');
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const curl = (target, body) => [
        `curl -sS -X POST '${target}' \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -d '${JSON.stringify(body, null, 2)}'`,
    ].join('\n');
    const labels = { alertname: 'ErmsCurlTest', severity: 'warning', instance: 'web-1' };
    const annotations = { summary: 'A test alert sent with curl' };
    switch (integ.kind) {
    case 'alertmanager':
        return [
            {
                title: t('int.setup.am'), testid: 'snippet-config', text: [
                    'receivers:',
                    '  - name: erms',
                    '    webhook_configs:',
                    `      - url: '${url}'`,
                    '        send_resolved: true',
                ].join('\n'),
            },
            {
                title: t('int.setup.curl'), testid: 'snippet-curl', text: curl(url, {
                    version: '4', groupKey: 'curl-test', status: 'firing', receiver: 'erms',
                    alerts: [{ status: 'firing', labels, annotations, startsAt: now }],
                }),
            },
        ];
    case 'grafana':
        return [
            {
                title: t('int.setup.grafana'), testid: 'snippet-config', text: [
                    'apiVersion: 1',
                    'contactPoints:',
                    '  - orgId: 1',
                    '    name: erms',
                    '    receivers:',
                    '      - uid: erms',
                    '        type: webhook',
                    '        settings:',
                    `          url: '${url}'`,
                    '          httpMethod: POST',
                ].join('\n'),
            },
            {
                title: t('int.setup.curl'), testid: 'snippet-curl', text: curl(url, {
                    version: '1', orgId: 1, groupKey: 'curl-test', status: 'firing', receiver: 'erms',
                    state: 'alerting', title: '[FIRING:1] ErmsCurlTest',
                    alerts: [{ status: 'firing', labels, annotations, startsAt: now }],
                }),
            },
        ];
    case 'events':
        return [
            {
                title: t('int.setup.am_pd'), testid: 'snippet-config', text: [
                    'receivers:',
                    '  - name: erms',
                    '    pagerduty_configs:',
                    `      - url: '${base}/v2/enqueue'`,
                    `        routing_key: '${key}'`,
                    '        send_resolved: true',
                ].join('\n'),
            },
            {
                title: t('int.setup.curl_events'), testid: 'snippet-curl', text: curl(`${base}/v2/enqueue`, {
                    routing_key: key, event_action: 'trigger', dedup_key: 'erms-curl-test',
                    payload: { summary: 'A test event sent with curl', source: 'web-1', severity: 'warning' },
                }),
            },
        ];
    default:
        return [{
            title: t('int.setup.curl_heartbeat'), testid: 'snippet-curl', text: [
                `curl -fsS -m 10 -X POST '${url}'`,
                '',
                '# crontab',
                `30 2 * * * /usr/local/bin/nightly-backup && curl -fsS -m 10 -X POST '${url}' >/dev/null`,
            ].join('\n'),
        }];
    }
}
