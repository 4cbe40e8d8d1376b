// The Alerts card of the command room: the monitors' alerts an incident
// holds (GET /api/v1/incidents/{id}/alerts), firing or resolved, with their
// severity, labels, counts and when they were first and last seen. Hidden
// for an incident a person reported.

import { api, qs } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { timeEl } from '../lib/time.js';
import { errorBox, busy } from '../lib/ui.js';

const PAGE = 100;
const SEVERITIES = ['critical', 'high', 'warning', 'info'];

/** Whether an incident can hold alerts: a monitor reported it. */
export function fromMonitor(inc) {
    return Boolean(inc && (inc.source && inc.source !== 'manual' || inc.integration_id));
}

function chip(k, v) {
    return h('li', { class: 'chip', testid: 'alert-label', dataset: { label: k } },
        h('span', { class: 'chip-k', text: k }), '=', h('span', { class: 'chip-v', text: v }));
}

function safeHref(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
}

function alertItem(a) {
    const sev = SEVERITIES.includes(a.severity) ? a.severity : 'warning';
    const labels = Object.entries(a.labels || {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    const ann = a.annotations || {};
    const href = safeHref(a.source_url);
    const summary = a.summary || (a.labels && a.labels.alertname) || a.fingerprint;
    return h('li', {
        class: ['alert-item', `alert-${a.status}`], testid: 'alert',
        dataset: { id: a.id, status: a.status, severity: sev, fingerprint: a.fingerprint },
    },
    h('div', { class: 'alert-line' },
        h('span', { class: ['badge', `astatus-${a.status}`], testid: 'alert-status', text: t(`alerts.status.${a.status}`) }),
        h('span', { class: ['badge', `sev-${sev}`], testid: 'alert-severity', text: t(`alerts.severity.${sev}`) }),
        h('strong', { class: 'alert-summary', testid: 'alert-summary', text: summary }),
        a.count > 1 ? h('span', {
            class: 'pill', testid: 'alert-count', title: t('alerts.count.title', { n: a.count }),
        }, t('alerts.count', { n: a.count })) : null,
        a.suppressed ? h('span', { class: 'badge status-dismissed', title: t('alerts.suppressed.title'), text: t('alerts.suppressed') }) : null),
    ann.description && ann.description !== summary ? h('p', { class: 'small prewrap', text: ann.description }) : null,
    labels.length ? h('ul', { class: 'chips', 'aria-label': t('alerts.labels') }, labels.map(([k, v]) => chip(k, v))) : null,
    h('p', { class: 'small muted alert-times' },
        t('alerts.first_seen'), ' ', timeEl(a.first_seen_at || a.starts_at, 'seconds'), ' · ',
        t('alerts.last_seen'), ' ', timeEl(a.last_seen_at, 'seconds'),
        a.resolved_at ? [' · ', t('alerts.resolved_at'), ' ', timeEl(a.resolved_at, 'seconds')] : null,
        a.source ? [' · ', h('span', { text: a.source })] : null,
        href ? [' · ', h('a', { href, target: '_blank', rel: 'noopener noreferrer', text: t('alerts.source_link') })] : null));
}

/**
 * The card and its loader: load() fetches (again) at least as many alerts
 * as are shown, and shows the card once there is one.
 */
export function alertsCard(ctx, number) {
    const enc = encodeURIComponent(number);
    const summary = h('p', { class: 'muted small', role: 'status', testid: 'alerts-summary' });
    const list = h('ul', { class: 'alert-list', testid: 'alert-list' });
    const more = h('div', { class: 'more' });
    const errSlot = h('div', { class: 'slot' });
    const section = h('section', { class: 'card', testid: 'incident-alerts', 'aria-labelledby': 'room-alerts', hidden: true },
        h('h2', { id: 'room-alerts', tabindex: -1, text: t('alerts.title') }), summary, errSlot, list, more);
    let items = [];
    let cursor = null;

    async function fetchPages(want, from) {
        const got = [];
        let c = from;
        do {
            const page = await api('GET', `/api/v1/incidents/${enc}/alerts${qs({ limit: PAGE, cursor: c })}`);
            got.push(...page.items);
            c = page.next_cursor;
        } while (c && got.length < want);
        return { got, c };
    }

    function draw() {
        section.hidden = !items.length;
        const firing = items.filter((a) => a.status === 'firing').length;
        summary.textContent = `${t('alerts.summary', { f: firing, r: items.length - firing })}${cursor ? ` · ${t('alerts.shown', { n: items.length })}` : ''}`;
        replace(list, items.map(alertItem));
        replace(more);
        if (cursor) {
            const b = h('button', { type: 'button', class: 'secondary', testid: 'alerts-more', text: t('more') });
            b.addEventListener('click', () => busy(b, async () => {
                try {
                    const r = await fetchPages(PAGE, cursor);
                    if (!ctx.alive())
                        return;
                    const seen = new Set(items.map((a) => a.id));
                    items.push(...r.got.filter((a) => !seen.has(a.id)));
                    cursor = r.c;
                    draw();
                    const again = more.querySelector('button');
                    if (again)
                        again.focus();
                } catch (e) {
                    replace(errSlot, errorBox(e));
                }
            }));
            more.append(b);
        }
    }

    async function load() {
        try {
            const r = await fetchPages(Math.max(items.length, PAGE), null);
            if (!ctx.alive())
                return;
            const hadFocus = section.contains(document.activeElement);
            items = r.got;
            cursor = r.c;
            replace(errSlot);
            draw();
            if (hadFocus && !section.contains(document.activeElement))
                section.querySelector('h2').focus();
        } catch (e) {
            if (ctx.alive() && e.status !== 401) {
                section.hidden = false;
                replace(errSlot, errorBox(e));
            }
        }
    }

    return { section, load };
}
