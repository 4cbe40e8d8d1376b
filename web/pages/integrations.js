// #/integrations and #/integrations/ID: the monitors that may post alerts
// (administrators only). The list with what each received, a form for a
// new one; an integration's page with its address and key (shown once,
// after creation or rotation), ready configurations for the monitor, a
// test alert, its settings, routing rules and maintenance windows.

import { api } from '../lib/api.js';
import { h, replace, field, checkField, select, fieldError } from '../lib/dom.js';
import { t, tx } from '../lib/i18n.js';
import { can, session } from '../lib/session.js';
import { currentPlan, contentOf, categoryTree, sortedLevels } from '../lib/plan.js';
import { subscribe, debounce } from '../lib/sse.js';
import { timeEl, localInputToIso, isoToLocalInput } from '../lib/time.js';
import { errorBox, emptyState, toast, busy, setTitle, messageOf, incidentLink, drillTag } from '../lib/ui.js';

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

function categoryOptions(content, emptyLabel) {
    return [{ value: '', label: emptyLabel },
        ...categoryTree(content).map(({ cat, depth }) => ({ value: cat.key, label: `${'\u3000'.repeat(depth)}${tx(cat.name)}` }))];
}

function levelOptions(content, emptyLabel) {
    return [{ value: '', label: emptyLabel }, ...sortedLevels(content).map((l) => ({ value: l.key, label: tx(l.name) }))];
}

/** A select of the plan's keys that still shows a key the plan no longer has. */
function keySelect(options, value, props) {
    const opts = [...options];
    if (value && !opts.some((o) => o.value === value))
        opts.push({ value, label: value });
    return select(opts, { ...props, value: value || '' });
}

function splitList(text) {
    return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function lines(text) {
    return text.split('\n').map((s) => s.trim()).filter(Boolean);
}

/**
 * An error the API gave for a form: under the control of the field it
 * names ("rules[2].matchers[0]" falls back to "rules[2].matchers", then
 * "rules[2]"), else in slot.
 */
function showFieldError(err, controls, slot, testid) {
    let name = err && err.field;
    while (name) {
        const c = controls[name];
        if (c && document.getElementById(`${c.id}-err`)) {
            fieldError(c, err.message);
            c.focus();
            return;
        }
        const cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('['));
        name = cut > 0 ? name.slice(0, cut) : '';
    }
    slot.append(errorBox(err, testid));
}

function clearErrors(controls, slot) {
    slot.replaceChildren();
    for (const c of Object.values(controls))
        fieldError(c, null);
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
            st.integ = await api('PATCH', `/api/v1/integrations/${st.integ.id}`, { enabled: !st.integ.enabled });
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

// ---- settings -----------------------------------------------------------------

function settingsForm(st, onSaved) {
    const x = st.integ;
    const heartbeat = x.kind === 'heartbeat';
    const c = {
        name: h('input', { testid: 'set-name', maxlength: 128, value: x.name, autocomplete: 'off' }),
        category: keySelect(categoryOptions(st.content, t('int.f.category.default')), x.category, { testid: 'set-category' }),
        level: keySelect(levelOptions(st.content, t('int.f.level.none')), x.level, { testid: 'set-level' }),
        title_template: h('input', { testid: 'set-title', maxlength: 512, value: x.title_template || '' }),
        rate_limit_per_min: h('input', { type: 'number', min: 1, step: 1, class: 'num', testid: 'set-rate', value: String(x.rate_limit_per_min) }),
        auto_dismiss: h('input', { type: 'checkbox', testid: 'set-auto-dismiss', checked: Boolean(x.auto_dismiss) }),
    };
    if (heartbeat) {
        c.interval_s = h('input', { type: 'number', min: 10, max: 604800, step: 1, class: 'num', testid: 'set-interval', value: String(x.interval_s || '') });
    } else {
        c.group_by = h('input', { testid: 'set-group-by', value: (x.group_by || []).join(', '), autocapitalize: 'none', spellcheck: 'false' });
        c.group_window_s = h('input', { type: 'number', min: 0, step: 1, class: 'num', testid: 'set-group-window', value: String(x.group_window_s || 0) });
    }
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'set-submit', text: t('int.save') });
    const form = h('form', { class: 'grid-form', novalidate: true, testid: 'int-settings' },
        field(t('int.f.name'), c.name),
        field(t('int.f.title'), c.title_template, { hint: t('int.f.title.hint'), optional: t('optional') }),
        field(t('int.f.category'), c.category, { hint: t('int.f.category.hint') }),
        field(t('int.f.level'), c.level),
        heartbeat ? field(t('int.f.interval'), c.interval_s, { hint: t('int.f.interval.hint') }) : [
            field(t('int.f.group_by'), c.group_by, { hint: t('int.f.group_by.hint'), optional: t('optional') }),
            field(t('int.f.group_window'), c.group_window_s, { hint: t('int.f.group_window.hint') }),
        ],
        field(t('int.f.rate'), c.rate_limit_per_min),
        checkField(t('int.f.auto_dismiss'), c.auto_dismiss, { class: 'full' }),
        slot, h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        clearErrors(c, slot);
        const need = heartbeat ? ['name', 'interval_s', 'rate_limit_per_min'] : ['name', 'rate_limit_per_min'];
        for (const k of need)
            if (!c[k].value.trim()) {
                fieldError(c[k], t('required'));
                c[k].focus();
                return;
            }
        const body = {
            name: c.name.value.trim(), category: c.category.value || null, level: c.level.value || null,
            title_template: c.title_template.value.trim(), rate_limit_per_min: Number(c.rate_limit_per_min.value),
            auto_dismiss: c.auto_dismiss.checked,
        };
        if (heartbeat) {
            body.interval_s = Number(c.interval_s.value);
        } else {
            body.group_by = splitList(c.group_by.value);
            body.group_window_s = Number(c.group_window_s.value || 0);
        }
        busy(submit, async () => {
            try {
                st.integ = await api('PATCH', `/api/v1/integrations/${st.integ.id}`, body);
                onSaved();
                toast(t('saved'));
            } catch (e) {
                showFieldError(e, c, slot, 'set-error');
            }
        });
    });
    return h('section', { class: 'card', 'aria-labelledby': 'int-settings-title' },
        h('h2', { id: 'int-settings-title', text: t('int.settings') }), form);
}

// ---- ordered lists of rules and of maintenance windows -----------------------------

/**
 * An editor of an ordered list saved with one PATCH of `key`: one fieldset
 * an item (made by spec.item, read back by spec.read), with move up/down
 * and remove, an add button and a save button. Errors naming
 * key[i].field show under that item's control.
 */
function listEditor(st, spec) {
    let items = (st.integ[spec.key] || []).map((x) => ({ ...x }));
    let controls = {};
    const list = h('ol', { class: 'edit-list', testid: `${spec.testid}-list` });
    const slot = h('div', { class: 'slot' });
    const add = h('button', { type: 'button', class: 'secondary', testid: `${spec.testid}-add`, text: spec.addLabel });
    const save = h('button', { type: 'submit', class: 'primary', testid: `${spec.testid}-save`, text: spec.saveLabel });
    let readers = [];

    function collect() {
        items = readers.map((read) => read());
    }

    function draw(focus) {
        controls = {};
        readers = [];
        replace(list);
        if (!items.length)
            list.append(h('li', { class: 'empty', testid: `${spec.testid}-empty`, text: spec.emptyText }));
        items.forEach((item, i) => {
            const made = spec.item(item, i);
            for (const [k, el] of Object.entries(made.controls))
                controls[`${spec.key}[${i}].${k}`] = el;
            controls[`${spec.key}[${i}]`] = made.controls.matchers;
            readers.push(made.read);
            const move = (d) => {
                collect();
                const [it] = items.splice(i, 1);
                items.splice(i + d, 0, it);
                draw({ index: i + d, testid: d < 0 ? 'up' : 'down' });
            };
            const up = h('button', { type: 'button', class: 'small secondary', testid: `${spec.testid}-up`, disabled: i === 0, text: t('int.rule.up') });
            const down = h('button', { type: 'button', class: 'small secondary', testid: `${spec.testid}-down`, disabled: i === items.length - 1, text: t('int.rule.down') });
            const rm = h('button', { type: 'button', class: 'small secondary', testid: `${spec.testid}-remove`, text: spec.removeLabel });
            up.addEventListener('click', () => move(-1));
            down.addEventListener('click', () => move(1));
            rm.addEventListener('click', () => {
                collect();
                items.splice(i, 1);
                draw(items.length ? { index: Math.min(i, items.length - 1), testid: 'remove' } : { add: true });
            });
            const title = spec.itemTitle(i);
            list.append(h('li', { class: 'edit-item', testid: spec.testid, dataset: { index: i } },
                h('fieldset', {}, h('legend', { text: title }), made.body,
                    h('div', { class: 'item-actions', role: 'group', 'aria-label': title }, up, down, rm))));
        });
        if (focus && focus.add)
            add.focus();
        else if (focus) {
            const li = list.children[focus.index];
            const b = li && li.querySelector(`[data-testid="${spec.testid}-${focus.testid}"]`);
            if (b && !b.disabled)
                b.focus();
            else if (li)
                li.querySelector('textarea, input, select').focus();
        }
    }

    add.addEventListener('click', () => {
        collect();
        items.push(spec.blank());
        draw();
        list.lastElementChild.querySelector('textarea').focus();
    });
    const form = h('form', { class: 'stack', novalidate: true, testid: `${spec.testid}-form` },
        h('p', { class: 'hint', text: spec.hint }), list, h('div', {}, add), slot,
        h('div', { class: 'form-actions' }, save));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        clearErrors(controls, slot);
        collect();
        for (let i = 0; i < items.length; i++) {
            const missing = spec.check(items[i]);
            if (missing) {
                const c = controls[`${spec.key}[${i}].${missing}`];
                fieldError(c, t('required'));
                c.focus();
                return;
            }
        }
        busy(save, async () => {
            try {
                st.integ = await api('PATCH', `/api/v1/integrations/${st.integ.id}`, { [spec.key]: items.map(spec.body) });
                items = (st.integ[spec.key] || []).map((x) => ({ ...x }));
                draw();
                toast(t('saved'));
            } catch (e) {
                showFieldError(e, controls, slot, `${spec.testid}-error`);
            }
        });
    });
    draw();
    return h('section', { class: 'card', testid: `${spec.testid}-card`, 'aria-labelledby': `${spec.testid}-title` },
        h('h2', { id: `${spec.testid}-title`, text: spec.title }), form);
}

function rulesEditor(st) {
    return listEditor(st, {
        key: 'rules', testid: 'rule', title: t('int.rules'), hint: t('int.rules.hint'),
        emptyText: t('int.rules.none'), addLabel: t('int.rule.add'), saveLabel: t('int.rules.save'),
        removeLabel: t('int.rule.remove'), itemTitle: (i) => t('int.rule.n', { n: i + 1 }),
        blank: () => ({ matchers: [], category: null, level: null, title: null, drop: false }),
        check: () => null,
        body: (r) => ({ matchers: r.matchers, category: r.category, level: r.level, title: r.title, drop: r.drop }),
        item(r) {
            const c = {
                matchers: h('textarea', { rows: 3, class: 'code', testid: 'rule-matchers', spellcheck: 'false', autocapitalize: 'none', placeholder: 'severity="critical"\njob=~"db.*"' }),
                category: keySelect(categoryOptions(st.content, t('int.rule.category.keep')), r.category, { testid: 'rule-category' }),
                level: keySelect(levelOptions(st.content, t('int.rule.level.keep')), r.level, { testid: 'rule-level' }),
                title: h('input', { testid: 'rule-title', maxlength: 512, value: r.title || '' }),
                drop: h('input', { type: 'checkbox', testid: 'rule-drop', checked: Boolean(r.drop) }),
            };
            c.matchers.value = (r.matchers || []).join('\n');
            const showDrop = () => {
                for (const k of ['category', 'level', 'title'])
                    c[k].disabled = c.drop.checked;
            };
            c.drop.addEventListener('change', showDrop);
            showDrop();
            return {
                controls: c,
                body: [field(t('int.rule.matchers'), c.matchers),
                    h('div', { class: 'grid-form' }, field(t('int.rule.category'), c.category), field(t('int.rule.level'), c.level),
                        field(t('int.rule.title'), c.title, { hint: t('int.rule.title.hint'), optional: t('optional'), class: 'full' })),
                    checkField(t('int.rule.drop'), c.drop)],
                read: () => ({
                    matchers: lines(c.matchers.value), category: c.category.value || null, level: c.level.value || null,
                    title: c.title.value.trim() || null, drop: c.drop.checked,
                }),
            };
        },
    });
}

function maintenanceEditor(st) {
    return listEditor(st, {
        key: 'maintenance', testid: 'maint', title: t('int.maint'), hint: t('int.maint.hint'),
        emptyText: t('int.maint.none'), addLabel: t('int.maint.add'), saveLabel: t('int.maint.save'),
        removeLabel: t('int.maint.remove'), itemTitle: (i) => t('int.maint.n', { n: i + 1 }),
        blank: () => ({ matchers: [], starts_at: new Date().toISOString(), ends_at: new Date(Date.now() + 2 * 3600000).toISOString(), reason: '' }),
        check: (m) => (!m.starts_at ? 'starts_at' : !m.ends_at ? 'ends_at' : null),
        body: (m) => ({ matchers: m.matchers, starts_at: m.starts_at, ends_at: m.ends_at, reason: m.reason }),
        item(m) {
            const c = {
                matchers: h('textarea', { rows: 2, class: 'code', testid: 'maint-matchers', spellcheck: 'false', autocapitalize: 'none', placeholder: 'instance=~"web-.*"' }),
                starts_at: h('input', { type: 'datetime-local', testid: 'maint-starts', value: isoToLocalInput(m.starts_at) }),
                ends_at: h('input', { type: 'datetime-local', testid: 'maint-ends', value: isoToLocalInput(m.ends_at) }),
                reason: h('input', { testid: 'maint-reason', maxlength: 512, value: m.reason || '' }),
            };
            c.matchers.value = (m.matchers || []).join('\n');
            const now = Date.now();
            const s = Date.parse(m.starts_at);
            const e = Date.parse(m.ends_at);
            const when = s <= now && now < e ? h('span', { class: 'badge status-acknowledged', text: t('int.maint.now') })
                : e <= now ? h('span', { class: 'badge status-dismissed', text: t('int.maint.past') }) : null;
            return {
                controls: c,
                body: [when, field(t('int.maint.matchers'), c.matchers),
                    h('div', { class: 'grid-form' }, field(t('int.maint.starts'), c.starts_at), field(t('int.maint.ends'), c.ends_at),
                        field(t('int.maint.reason'), c.reason, { optional: t('optional'), class: 'full' }))],
                read: () => ({
                    matchers: lines(c.matchers.value), starts_at: localInputToIso(c.starts_at.value),
                    ends_at: localInputToIso(c.ends_at.value), reason: c.reason.value.trim(),
                }),
            };
        },
    });
}
