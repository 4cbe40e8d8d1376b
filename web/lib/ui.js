// Shared pieces of the console: badges, timers, errors, notices.

import { h, clear, fieldError } from './dom.js';
import { addTexts, t, tx } from './i18n.js';
import { findLevel, levelColour, levelName } from './plan.js';
import { timer, fmtMinutes, fmtTime, timeEl } from './time.js';

addTexts({
    'zh-CN': {
        'conflict.title': '提交未保存：此内容已被他人修改',
        'conflict.by': '{name}于 {at} 修改了它（现为第 {version} 版）。你填写的内容仍保留在表单中。',
        'conflict.by_system': '系统于 {at} 修改了它（现为第 {version} 版）。你填写的内容仍保留在表单中。',
        'conflict.load': '载入对方的版本',
        'conflict.retry': '保留我的内容并重试',
    },
    en: {
        'conflict.title': 'Not saved: someone else changed this',
        'conflict.by': '{name} changed it at {at} (now version {version}). What you typed is still in the form.',
        'conflict.by_system': 'The system changed it at {at} (now version {version}). What you typed is still in the form.',
        'conflict.load': 'Load theirs',
        'conflict.retry': 'Keep mine and retry',
    },
});

export const STATUSES = ['reported', 'acknowledged', 'active', 'resolved', 'closed', 'reviewed', 'dismissed'];
export const ACTIVE_STATUSES = ['reported', 'acknowledged', 'active'];

/** Still open: a missed target is "overdue" only then; once resolved,
 * closed, reviewed or dismissed it is history (the targets panel keeps it). */
/** A task's title in the reader's language (a plan's measure has them all). */
export function taskTitle(task) {
    return (task.titles && tx(task.titles)) || task.title;
}

export function isOpen(inc) {
    return ACTIVE_STATUSES.includes(inc.status);
}

export function statusBadge(status, testid) {
    return h('span', { class: ['badge', `status-${status}`], testid, dataset: { status } },
        t(`status.${status}`));
}

/** A level badge in the level's warning colour; "unclassified" for none. */
export function levelBadge(content, key, testid) {
    if (!key)
        return h('span', { class: 'badge level-none', testid, dataset: { level: '' } }, t('level.none'));
    const lv = findLevel(content, key);
    return h('span', {
        class: ['badge', `level-${levelColour(lv || { rank: 4 })}`], testid, dataset: { level: key },
    }, levelName(content, key));
}

export function drillTag() {
    return h('span', { class: 'badge drill', title: t('drill.title') }, t('drill'));
}

/** Who reported an incident a monitor opened: "Monitor · Alertmanager"; null for a person's report. */
export function sourceName(source) {
    const k = `source.${source}`;
    return t(k) === k ? source : t(k);
}

export function sourceBadge(inc, testid = 'source-badge') {
    if (!inc || !inc.source || inc.source === 'manual')
        return null;
    return h('span', {
        class: 'badge monitor', testid, dataset: { source: inc.source }, title: t('source.badge.title'),
    }, t('source.badge', { name: sourceName(inc.source) }));
}

/** Live timers for an incident's open deadlines (ack, activate, resolve). */
export function incidentTimers(inc, opts = {}) {
    const wrap = h('span', { class: 'timers', dataset: { timers: '1', breached: isOpen(inc) && inc.breaches && inc.breaches.length ? '1' : '0' } });
    const dl = inc.deadlines || {};
    const breaches = new Set(inc.breaches || []);
    if (!isOpen(inc))
        return wrap;
    for (const k of ['ack', 'activate', 'resolve']) {
        if (!dl[k])
            continue;
        wrap.append(h('span', { class: 'timer-item' },
            h('span', { class: 'timer-label', text: t(`target.${k}`) }),
            ' ', timer(dl[k], breaches.has(k), opts.testidPrefix ? `${opts.testidPrefix}-${k}` : undefined)));
    }
    for (const b of breaches)
        wrap.append(h('span', { class: 'badge breach', dataset: { breach: b } }, t('breach.short', { target: t(`target.${b}`) })));
    if (inc.breaches && inc.breaches.length)
        wrap.classList.add('late');
    return wrap;
}

/**
 * The incident's targets: for each of ack, activate, resolve the time
 * allowed, then the deadline with a live countdown, or when it was met.
 */
export function targetsTable(inc) {
    const breaches = new Set(inc.breaches || []);
    const tg = inc.targets || {};
    const dl = inc.deadlines || {};
    const done = { ack: inc.acked_at, activate: inc.activated_at, resolve: inc.resolved_at };
    return h('ul', { class: 'targets-list', testid: 'incident-targets' }, ['ack', 'activate', 'resolve'].map((k) => {
        let state;
        if (dl[k])
            state = [h('div', { class: 'small muted' }, t('target.col.deadline'), ' ', timeEl(dl[k])),
                h('div', {}, timer(dl[k], breaches.has(k), `timer-${k}`))];
        else if (done[k])
            state = h('div', { class: 'small' }, t('target.met'), ' ', timeEl(done[k]));
        else
            state = h('div', { class: 'small muted', text: t('target.open') });
        return h('li', { class: breaches.has(k) ? 'late' : '', dataset: { target: k } },
            h('div', { class: 'target-name' }, h('strong', { text: t(`target.${k}`) }), ' ',
                h('span', { class: 'muted small', text: tg[`${k}_min`] ? t('target.within', { m: fmtMinutes(tg[`${k}_min`]) }) : '' }),
                breaches.has(k) ? h('span', { class: 'badge breach' }, t('breach.missed')) : null),
            state);
    }));
}

/** An error as a paragraph, with the plan file's details as a list. */
/**
 * A refused form: the message under the field the API named (controls:
 * field name -> control), or an error box in slot.
 */
export function showFailure(err, controls, slot, testid) {
    const c = err && err.field && controls[err.field];
    if (c) {
        fieldError(c, err.message);
        c.focus();
    } else {
        slot.append(errorBox(err, testid));
    }
}

/**
 * A write from a form refused with 409 version_conflict (or a step the
 * object's state no longer allows, which names who changed it too): show
 * who changed it and when above the form's actions, keeping every value
 * the user typed. opts.onLoad(): load their version (the caller
 * re-renders); opts.onRetry(version): send mine again from the version
 * now (hidden when the caller cannot retry). Returns the notice; a
 * second conflict replaces the first.
 */
export function showConflict(form, err, opts = {}) {
    const old = form.querySelector('[data-testid="conflict"]');
    if (old)
        old.remove();
    const by = err.changedBy;
    const vars = { name: by ? by.name : '', at: err.changedAt ? fmtTime(err.changedAt) : '',
        version: err.currentVersion };
    const load = h('button', { type: 'button', class: 'secondary', testid: 'conflict-load',
        text: t('conflict.load') });
    const retry = opts.onRetry ? h('button', { type: 'button', testid: 'conflict-retry',
        text: t('conflict.retry') }) : null;
    const box = h('div', { class: 'alert error conflict', role: 'alert', testid: 'conflict' },
        h('p', {}, h('strong', { text: t('conflict.title') })),
        h('p', { testid: 'conflict-who', text: t(by ? 'conflict.by' : 'conflict.by_system', vars) }),
        h('div', { class: 'actions' }, load, retry));
    load.addEventListener('click', () => {
        box.remove();
        if (opts.onLoad)
            opts.onLoad();
    });
    if (retry) {
        retry.addEventListener('click', async () => {
            box.remove();
            await opts.onRetry(err.currentVersion);
        });
    }
    const actions = form.querySelector('.form-actions, .actions');
    if (actions && actions.parentNode)
        actions.parentNode.insertBefore(box, actions);
    else
        form.append(box);
    load.focus();
    return box;
}

export function errorBox(err, testid = 'error') {
    const box = h('div', { class: 'alert error', role: 'alert', testid });
    box.append(h('p', { text: messageOf(err) }));
    if (err && Array.isArray(err.details) && err.details.length) {
        box.append(h('ul', { class: 'details', testid: `${testid}-details` },
            err.details.map((d) => h('li', {},
                h('code', { text: d.line ? `${d.line}:${d.column || 0}` : '' }), ' ', d.message || d.text))));
    }
    return box;
}

export function messageOf(err) {
    if (!err)
        return t('error.unknown');
    if (err.status === 0)
        return t('error.network');
    if (err.status === 403 && err.code === 'forbidden')
        return `${t('error.forbidden')} (${err.message})`;
    return err.message || t('error.unknown');
}

/** Put an error (or nothing) into a slot element. */
export function showError(slot, err, testid) {
    clear(slot);
    if (err)
        slot.append(errorBox(err, testid));
}

export function emptyState(text, testid) {
    return h('p', { class: 'empty', testid, text });
}

export function loading() {
    return h('p', { class: 'loading', role: 'status', text: t('loading') });
}

export function card(title, body, props = {}) {
    const headingId = props.id ? `${props.id}-title` : undefined;
    return h('section', { class: ['card', props.class], testid: props.testid, id: props.id, 'aria-labelledby': headingId },
        title ? h('div', { class: 'card-head' },
            h(props.level || 'h2', { id: headingId, text: title }), props.actions || null) : null,
        body);
}

let toastTimer = null;

/** A short message in the polite live region at the bottom of the page. */
export function toast(text, kind = 'ok') {
    const el = document.getElementById('toast');
    if (!el)
        return;
    el.textContent = text;
    el.className = `toast ${kind}`;
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
        el.hidden = true;
    }, 4000);
}

/** Run an async action from a button: disables it meanwhile. */
export async function busy(button, fn) {
    const was = button.disabled;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
        return await fn();
    } finally {
        button.disabled = was;
        button.removeAttribute('aria-busy');
    }
}

export function incidentLink(inc) {
    return h('a', { href: `#/incidents/${encodeURIComponent(inc.number)}`, class: 'inc-number', text: inc.number });
}

export function setTitle(text) {
    document.title = text ? `${text} · erms` : 'erms';
}
