// #/incidents/INC-2026-0001: the command room. The incident with its
// targets and live timers, the steps I may take now, the task board, the
// live timeline, notes, notifications, the supplies allocated, and the
// review report; for an incident a monitor reported, its alerts. ?task=ID
// marks one task on the board (drill findings link to theirs). An
// incident to be reported to the regulator has its panel
// (regulatory-panel.js) under the actions.

import { api, qs } from '../lib/api.js';
import { h, replace, field, checkField, select, fieldError, newId } from '../lib/dom.js';
import { t, tx, getLang, addTexts } from '../lib/i18n.js';
import { can, inGroup, session } from '../lib/session.js';
import { subscribe, debounce } from '../lib/sse.js';
import { currentPlan, contentOf, sortedLevels, findLevel, categoryName, groupName, levelName } from '../lib/plan.js';
import { loadPeople, personName } from '../lib/people.js';
import { timeEl, localInputToIso } from '../lib/time.js';
import {
    statusBadge, levelBadge, drillTag, sourceBadge, sourceName, targetsTable, incidentTimers, errorBox,
    emptyState, loading, toast, busy, setTitle, messageOf, showConflict, isOpen, taskTitle,
} from '../lib/ui.js';
import { incidentSupplies } from './supplies.js';
import { decisionAllowed, escalationNote, ackFields, assessmentBlock, entryTextOf } from './decide.js';
import { taskDetails, taskHistory, resolveWarning, confirmResolve, resetMembers } from './tasks.js';
import { alertsCard, fromMonitor } from './alerts.js';
import { bulletinsCard } from './bulletins.js';
import { regulatoryCard } from './regulatory-panel.js';
import { regulatoryBadge } from '../lib/regulatory.js';

addTexts({
    'zh-CN': {
        'review.item.owner': '负责人',
        'review.item.due': '完成期限',
        'review.item.done': '已完成',
        'review.item.open': '未完成',
        'review.report_pdf': 'PDF 报告',
    },
    en: {
        'review.item.owner': 'Owner',
        'review.item.due': 'Due',
        'review.item.done': 'done',
        'review.item.open': 'open',
        'review.report_pdf': 'PDF report',
    },
});

const ACTION_RIGHTS = {
    ack: ['incident.ack'],
    activate: ['incident.activate'],
    dismiss: ['incident.dismiss'],
    'set-level': ['incident.raise', 'incident.lower'],
    resolve: ['incident.resolve'],
    reopen: ['incident.reopen'],
    close: ['incident.close'],
    review: ['incident.review'],
};
const ACTION_ORDER = ['ack', 'activate', 'set-level', 'resolve', 'reopen', 'close', 'review', 'dismiss'];
const TASK_STATUSES = ['todo', 'doing', 'done', 'blocked'];

export function mayTake(action) {
    return (ACTION_RIGHTS[action] || []).some((r) => can(r));
}

function textBlock(text) {
    return h('div', { class: 'prewrap', text: text || '—' });
}

/** {HighLatency: 10, DiskFull: 2} → "HighLatency×10, DiskFull×2", the most first, five at most. */
function alertNames(names) {
    const list = Object.entries(names).sort(([, a], [, b]) => b - a);
    const shown = list.slice(0, 5).map(([k, n]) => `${k}×${n}`);
    if (list.length > 5)
        shown.push(`… (+${list.length - 5})`);
    return shown.join(t('list.sep'));
}

function metaRow(label, value) {
    return [h('dt', { text: label }), h('dd', {}, value)];
}

export async function render(ctx) {
    const ref = ctx.params[0];
    const targetTask = ctx.query.get('task');
    const enc = encodeURIComponent(ref);
    const st = {
        inc: null, content: contentOf(null), entries: new Map(), tasks: new Map(),
        openAction: null,
    };
    const queue = [];
    let ready = false;

    // Subscribe first so nothing between the loads and the stream is lost;
    // the timeline and tasks are deduplicated by id.
    ctx.onCleanup(subscribe((kind, data) => {
        if (ready)
            onEvent(kind, data);
        else
            queue.push([kind, data]);
    }));

    resetMembers();
    ctx.root.append(loading());
    const [inc, tl, tasks, plan, people] = await Promise.all([
        api('GET', `/api/v1/incidents/${enc}`),
        api('GET', `/api/v1/incidents/${enc}/timeline`),
        api('GET', `/api/v1/incidents/${enc}/tasks`),
        currentPlan().catch(() => null),
        loadPeople().catch(() => null),
    ]);
    if (!ctx.alive())
        return;
    st.inc = inc;
    st.people = people || new Map();
    st.content = contentOf(plan);
    for (const e of tl.items)
        st.entries.set(e.id, e);
    for (const task of tasks.items)
        st.tasks.set(task.id, task);
    setTitle(`${inc.number} ${inc.title}`);

    // ---- layout -------------------------------------------------------
    const headSlot = h('div', { class: 'slot' });
    const timersSlot = h('div', { class: 'slot' });
    const actionsSlot = h('div', { class: 'slot' });
    const formSlot = h('div', { class: 'slot' });
    const reviewSlot = h('div', { class: 'slot' });
    const boardSlot = h('div', { class: 'slot' });
    const addTaskSlot = h('div', { class: 'slot' });
    const detailsSlot = h('div', { class: 'slot' });
    const notifSlot = h('div', { class: 'slot' });
    const suppliesSlot = h('div', { class: 'slot' }, loading());
    const alerts = alertsCard(ctx, inc.number);
    const regulatory = regulatoryCard(ctx, inc);
    const timelineList = h('ol', { class: 'timeline', testid: 'timeline', 'aria-live': 'polite', 'aria-relevant': 'additions' });

    ctx.root.replaceChildren(
        h('nav', { class: 'crumbs', 'aria-label': t('crumbs') },
            h('a', { href: '#/incidents', text: t('nav.incidents') }), ' / ', h('span', { text: inc.number })),
        h('section', { class: 'card inc-head', testid: 'incident-head' }, headSlot),
        h('div', { class: 'room-grid' },
            h('div', { class: 'room-main' },
                h('section', { class: 'card', testid: 'incident-actions', 'aria-labelledby': 'room-actions', hidden: !Object.keys(ACTION_RIGHTS).some(mayTake) },
                    h('h2', { id: 'room-actions', text: t('room.actions') }), actionsSlot, formSlot),
                regulatory.section,
                alerts.section,
                h('section', { class: 'card', testid: 'incident-review-card', 'aria-labelledby': 'room-review' },
                    h('h2', { id: 'room-review', text: t('room.review') }), reviewSlot),
                h('section', { class: 'card', 'aria-labelledby': 'room-tasks' },
                    h('div', { class: 'card-head' }, h('h2', { id: 'room-tasks', text: t('room.tasks') })),
                    boardSlot, addTaskSlot),
                h('section', { class: 'card', 'aria-labelledby': 'room-timeline' },
                    h('h2', { id: 'room-timeline', text: t('room.timeline') }), timelineList, noteForm())),
            h('div', { class: 'room-side' },
                h('section', { class: 'card', testid: 'incident-timers', 'aria-labelledby': 'room-timers' },
                    h('h2', { id: 'room-timers', text: t('room.targets') }), timersSlot),
                h('section', { class: 'card', 'aria-labelledby': 'room-details' },
                    h('h2', { id: 'room-details', text: t('room.details') }), detailsSlot),
                h('section', { class: 'card', testid: 'incident-supplies', 'aria-labelledby': 'room-supplies' },
                    h('h2', { id: 'room-supplies', text: t('incident.supplies') }), suppliesSlot),
                bulletinsCard(ctx, inc),
                can('notification.read') ? h('section', { class: 'card', testid: 'incident-notifications', 'aria-labelledby': 'room-notif' },
                    h('h2', { id: 'room-notif', text: t('room.notifications') }), notifSlot) : null)));

    // ---- header, timers, details ----------------------------------------
    function renderHead() {
        const i = st.inc;
        replace(headSlot,
            h('div', { class: 'inc-head-line' },
                h('span', { class: 'inc-number big', testid: 'incident-number', text: i.number }),
                statusBadge(i.status, 'incident-status'),
                levelBadge(st.content, i.level, 'incident-level'),
                i.is_drill ? drillTag() : null,
                sourceBadge(i, 'incident-source'),
                regulatoryBadge(i, 'incident-reg'),
                isOpen(i) && i.breaches && i.breaches.length ? h('span', { class: 'badge breach', testid: 'incident-breached' }, t('breach.any')) : null,
                st.drill ? h('a', { href: `#/drills/${st.drill.id}`, testid: 'incident-drill', text: `${t('incident.drill')}: ${st.drill.title}` }) : null),
            h('h1', { testid: 'incident-title', text: i.title }),
            h('p', { class: 'muted' },
                t('incident.commander'), ': ', h('strong', { testid: 'incident-commander', text: i.commander_id ? personName(i.commander_id) : '—' }),
                ' · ', t('incident.category'), ': ', categoryName(st.content, i.category),
                ' · ', t('incident.reported_at'), ' ', timeEl(i.reported_at)),
            incidentTimers(i, { testidPrefix: 'head-timer' }));
    }

    function renderTimers() {
        const i = st.inc;
        const breaches = i.breaches || [];
        replace(timersSlot, targetsTable(i),
            breaches.length
                ? h('ul', { class: 'breaches', testid: 'incident-breaches' },
                    breaches.map((b) => h('li', { dataset: { breach: b } }, t('breach.missed_target', { target: t(`target.${b}`) }))))
                : h('p', { class: 'muted small', testid: 'incident-breaches', text: t('breach.none') }));
    }

    function renderDetails() {
        const i = st.inc;
        const rows = [
            metaRow(t('incident.category'), categoryName(st.content, i.category)),
            metaRow(t('incident.proposed_level'), i.proposed_level ? levelName(st.content, i.proposed_level) : '—'),
            fromMonitor(i) ? metaRow(t('incident.source'), t('source.badge', { name: sourceName(i.source) }))
                : metaRow(t('incident.reporter'), personName(i.reporter_id)),
            metaRow(t('incident.impact'), textBlock(i.impact)),
            metaRow(t('incident.description'), textBlock(i.description)),
            metaRow(t('incident.detected_at'), timeEl(i.detected_at)),
            metaRow(t('incident.reported'), timeEl(i.reported_at)),
        ];
        for (const k of ['acked_at', 'activated_at', 'resolved_at', 'closed_at', 'reviewed_at', 'dismissed_at'])
            if (i[k])
                rows.push(metaRow(t(`incident.${k}`), timeEl(i[k])));
        if (i.summary)
            rows.push(metaRow(t('incident.summary'), textBlock(i.summary)));
        replace(detailsSlot, h('dl', { class: 'meta' }, rows));
    }

    // ---- actions --------------------------------------------------------
    function available() {
        return ACTION_ORDER.filter((a) => (st.inc.actions || []).includes(a) &&
            decisionAllowed(st.inc, a, mayTake(a)));
    }

    function renderActions() {
        const list = available();
        // An open form stays as it is when a live update takes its step
        // away (somebody else acted): what was typed is kept, and sending
        // it shows who changed the incident (showConflict).
        if (!list.length) {
            replace(actionsSlot, emptyState(t('room.no_actions'), 'no-actions'));
            return;
        }
        replace(actionsSlot, escalationNote(st.inc), h('div', { class: 'action-bar', role: 'group', 'aria-label': t('room.actions') },
            list.map((a) => {
                const b = h('button', {
                    type: 'button', class: ['action', a === 'dismiss' ? 'secondary' : 'primary'],
                    testid: `action-${a}`, 'aria-expanded': String(st.openAction === a), text: t(`action.${a}`),
                });
                b.addEventListener('click', () => openForm(a));
                return b;
            })));
    }

    function levelOptions(action) {
        const cur = st.inc.level ? findLevel(st.content, st.inc.level) : null;
        let levels = sortedLevels(st.content);
        if (action === 'set-level' && cur) {
            levels = levels.filter((l) => l.key !== cur.key &&
                (l.rank < cur.rank ? can('incident.raise') : can('incident.lower')));
        }
        return levels.map((l) => ({
            value: l.key,
            label: `${tx(l.name)}${l.rank && cur && action === 'set-level' ? ` (${t(l.rank < cur.rank ? 'level.raise' : 'level.lower')})` : ''}`,
        }));
    }

    function openForm(action) {
        st.openAction = action;
        // The version the form was opened at: its step is taken from it.
        let loaded = st.inc.version;
        const slot = h('div', { class: 'slot' });
        const controls = {};
        const parts = [];
        const needed = [];
        const hintKey = `action.${action}.hint`;
        parts.push(h('p', { class: 'muted', text: t(hintKey) }));
        const ack = action === 'ack' ? ackFields(st.inc, st.content) : null;
        if (ack) {
            parts.push(...ack.parts);
            Object.assign(controls, ack.controls);
        }
        if (action === 'activate')
            parts.push(assessmentBlock(st.inc, st.content));
        if (action === 'resolve')
            parts.push(resolveWarning([...st.tasks.values()]));
        if (action === 'activate' || action === 'set-level') {
            const opts = levelOptions(action);
            const lv = select(opts, { testid: 'action-level-select', name: 'level' });
            if (action === 'activate' && st.inc.proposed_level && opts.some((o) => o.value === st.inc.proposed_level))
                lv.value = st.inc.proposed_level;
            controls.level = lv;
            parts.push(field(t('action.f.level'), lv));
            const crit = h('div', { class: 'criteria prewrap small', 'aria-live': 'polite' });
            const showCrit = () => {
                const l = findLevel(st.content, lv.value);
                crit.textContent = l ? tx(l.criteria) : '';
            };
            lv.addEventListener('change', showCrit);
            showCrit();
            parts.push(crit);
        }
        if (action === 'dismiss' || action === 'set-level' || action === 'reopen') {
            controls.reason = h('textarea', { rows: 3, testid: 'action-reason', name: 'reason' });
            parts.push(field(t('action.f.reason'), controls.reason));
            needed.push('reason');
        }
        if (action === 'resolve') {
            controls.summary = h('textarea', { rows: 4, testid: 'action-summary', name: 'summary' });
            parts.push(field(t('action.f.summary'), controls.summary, { hint: t('action.f.summary.hint') }));
            needed.push('summary');
        }
        let items = null;
        if (action === 'review') {
            for (const [k, tid, rows] of [['cause', 'review-cause', 4], ['impact', 'review-impact', 3],
                ['went_well', 'review-went-well', 3], ['went_badly', 'review-went-badly', 3],
                ['lessons', 'review-lessons', 3]]) {
                controls[k] = h('textarea', { rows, testid: tid, name: k });
                parts.push(field(t(`review.${k}`), controls[k], k === 'cause' ? {} : { optional: t('optional') }));
            }
            if (!controls.impact.value)
                controls.impact.value = st.inc.impact || '';
            needed.push('cause');
            items = h('ol', { class: 'items', testid: 'review-items' });
            const add = h('button', { type: 'button', class: 'secondary small', testid: 'review-item-add', text: t('review.add_item') });
            add.addEventListener('click', () => {
                items.append(actionItemRow(items));
                items.lastElementChild.querySelector('input').focus();
            });
            parts.push(h('fieldset', { class: 'items-box' },
                h('legend', { text: t('review.action_items') }),
                h('p', { class: 'hint', text: t('review.action_items.hint') }), items, add));
        }
        const submit = h('button', { type: 'submit', class: action === 'dismiss' ? 'danger' : 'primary', testid: 'action-submit', text: t(`action.${action}.confirm`) });
        const cancel = h('button', { type: 'button', class: 'secondary', testid: 'action-cancel', text: t('cancel') });
        cancel.addEventListener('click', () => {
            st.openAction = null;
            replace(formSlot);
            renderActions();
            const b = actionsSlot.querySelector(`[data-testid="action-${action}"]`);
            if (b)
                b.focus();
        });
        const form = h('form', { class: 'action-form stack', novalidate: true, testid: `action-form-${action}`, 'aria-labelledby': `${action}-form-title` },
            h('h3', { id: `${action}-form-title`, text: t(`action.${action}`) }), parts, slot,
            h('div', { class: 'form-actions' }, submit, cancel));
        form.addEventListener('submit', async (ev) => {
            ev.preventDefault();
            slot.replaceChildren();
            for (const c of Object.values(controls))
                fieldError(c, null);
            for (const k of needed)
                if (!controls[k].value.trim()) {
                    fieldError(controls[k], t('required'));
                    controls[k].focus();
                    return;
                }
            let body = {};
            if (controls.level)
                body.level = controls.level.value;
            if (controls.reason)
                body.reason = controls.reason.value.trim();
            if (controls.summary)
                body.summary = controls.summary.value.trim();
            if (ack)
                Object.assign(body, ack.body());
            if (action === 'resolve' && !confirmResolve([...st.tasks.values()]))
                return;
            if (action === 'review') {
                const review = { cause: controls.cause.value.trim() };
                for (const k of ['impact', 'went_well', 'went_badly', 'lessons'])
                    if (controls[k].value.trim())
                        review[k] = controls[k].value.trim();
                const ai = [];
                for (const row of items.children) {
                    const title = row.querySelector('[data-testid="review-item-title"]').value.trim();
                    if (!title)
                        continue;
                    const item = { title };
                    const g = row.querySelector('[data-testid="review-item-group"]').value;
                    if (g)
                        item.group = g;
                    const owner = row.querySelector('[data-testid="review-item-owner"]').value;
                    if (owner)
                        item.owner_id = Number(owner);
                    const due = localInputToIso(row.querySelector('[data-testid="review-item-due"]').value);
                    if (due)
                        item.due_at = due;
                    if (row.querySelector('[data-testid="review-item-plan"]').checked)
                        item.plan_revision = true;
                    ai.push(item);
                }
                if (ai.length)
                    review.action_items = ai;
                body = { review };
            }
            await busy(submit, async () => {
                try {
                    const next = await api('POST', `/api/v1/incidents/${encodeURIComponent(st.inc.number)}/${action}`, body,
                        { version: loaded });
                    st.openAction = null;
                    replace(formSlot);
                    applyIncident(next);
                    toast(t('action.done', { action: t(`action.${action}`) }));
                    const h2 = document.getElementById('room-actions');
                    if (h2) {
                        h2.tabIndex = -1;
                        h2.focus();
                    }
                } catch (e) {
                    const f = e.field && e.field !== 'version' &&
                        (controls[e.field] || controls[e.field.replace(/^review\./, '')]);
                    if (e.isConflict) {
                        refreshIncident();
                        showConflict(form, e, {
                            onLoad: () => {
                                st.openAction = null;
                                replace(formSlot);
                                refreshIncident();
                            },
                            // Retry only where the step is still one to take.
                            onRetry: e.code === 'version_conflict' ? (v) => {
                                loaded = v;
                                form.requestSubmit();
                            } : null,
                        });
                    } else if (f) {
                        fieldError(f, e.message);
                        f.focus();
                    } else {
                        slot.append(errorBox(e, 'action-error'));
                    }
                }
            });
        });
        replace(formSlot, form);
        renderActions();
        const first = form.querySelector('select, textarea, input') || submit;
        first.focus();
    }

    function groupOptions(withNone) {
        const groups = (st.content.groups || []).map((g) => ({ value: g.key, label: tx(g.name) }));
        return withNone ? [{ value: '', label: t('review.no_group') }, ...groups] : groups;
    }

    function actionItemRow(list) {
        const title = h('input', { testid: 'review-item-title', maxlength: 200 });
        const group = select(groupOptions(true), { testid: 'review-item-group' });
        const plan = h('input', { type: 'checkbox', testid: 'review-item-plan' });
        const owner = select([{ value: '', label: '—' }, ...[...st.people.values()].map((u) => ({
            value: String(u.id), label: u.display_name || u.login,
        }))], { testid: 'review-item-owner' });
        const due = h('input', { type: 'datetime-local', testid: 'review-item-due' });
        const remove = h('button', { type: 'button', class: 'link-button small', text: t('remove') });
        const li = h('li', { class: 'item-row' },
            field(t('review.item.title'), title), field(t('review.item.group'), group),
            field(t('review.item.owner'), owner, { optional: t('optional') }),
            field(t('review.item.due'), due, { optional: t('optional') }),
            checkField(t('review.item.plan'), plan), remove);
        remove.addEventListener('click', () => {
            li.remove();
            const add = list.parentElement.querySelector('[data-testid="review-item-add"]');
            if (add)
                add.focus();
        });
        return li;
    }

    // ---- review ------------------------------------------------------------
    function renderReview() {
        const i = st.inc;
        const card = reviewSlot.closest('section');
        const r = i.review;
        card.hidden = !r && i.status !== 'reviewed';
        if (card.hidden)
            return;
        const parts = [];
        if (r) {
            const rows = [];
            for (const k of ['cause', 'impact', 'went_well', 'went_badly', 'lessons'])
                if (r[k])
                    rows.push(...metaRow(t(`review.${k}`), textBlock(r[k])));
            parts.push(h('dl', { class: 'meta wide', testid: 'incident-review' }, rows));
            if (Array.isArray(r.action_items) && r.action_items.length)
                parts.push(h('h3', { text: t('review.action_items') }),
                    h('ul', { testid: 'review-action-items' }, r.action_items.map((a) => {
                        // Tracked as a task of origin "review": its state is the item's.
                        const task = [...st.tasks.values()].find((x) => (x.origin || '').startsWith('review') && x.title === a.title);
                        const done = task && task.status === 'done';
                        return h('li', { testid: 'review-action-item', dataset: { done: String(!!done) } }, a.title,
                            a.group ? h('span', { class: 'muted', text: ` → ${groupName(st.content, a.group)}` }) : null,
                            a.owner_id ? h('span', { class: 'muted small', text: ` · ${personName(a.owner_id)}` }) : null,
                            a.due_at ? h('span', { class: 'muted small' }, ' · ', t('review.item.due'), ' ', timeEl(a.due_at)) : null,
                            task ? h('span', { class: ['badge', done ? 'task-done' : 'task-todo'], text: t(done ? 'review.item.done' : 'review.item.open') }) : null,
                            a.plan_revision ? h('span', { class: 'badge plan-rev', text: t('review.item.plan') }) : null);
                    })));
        }
        if (i.status === 'reviewed') {
            const lang = getLang();
            parts.push(h('p', { class: 'report-links' },
                h('a', {
                    class: 'button secondary', testid: 'incident-report', target: '_blank', rel: 'noopener',
                    href: `/api/v1/incidents/${encodeURIComponent(i.number)}/report${qs({ format: 'html', lang })}`,
                    text: t('review.report'),
                }), ' ',
                h('a', {
                    class: 'button secondary', testid: 'incident-report-md', download: `${i.number}.md`,
                    href: `/api/v1/incidents/${encodeURIComponent(i.number)}/report${qs({ format: 'md', lang })}`,
                    text: t('review.report_md'),
                }), ' ',
                h('a', {
                    class: 'button secondary', testid: 'incident-report-pdf', target: '_blank', rel: 'noopener',
                    href: `/api/v1/incidents/${encodeURIComponent(i.number)}/report${qs({ format: 'pdf', lang })}`,
                    text: t('review.report_pdf'),
                })));
        }
        replace(reviewSlot, parts);
    }

    // ---- tasks ---------------------------------------------------------
    function mayUpdateTask(task) {
        return can('task.update') || inGroup(task.group);
    }

    function taskItem(task) {
        const parts = [
            h('div', { class: 'task-title', text: taskTitle(task) }),
            h('div', { class: 'task-meta' },
                h('span', { class: ['badge', `task-${task.status}`], testid: 'task-status-badge', text: t(`task.${task.status}`) }),
                task.assignee_id ? h('span', { class: 'muted small', text: personName(task.assignee_id) }) : null,
                task.due_at ? h('span', { class: 'muted small' }, t('task.due'), ' ', timeEl(task.due_at)) : null),
        ];
        if (mayUpdateTask(task)) {
            const s = select(TASK_STATUSES.map((x) => ({ value: x, label: t(`task.${x}`) })),
                { testid: 'task-status', value: task.status, id: newId('task') });
            s.addEventListener('change', async () => {
                const prev = task.status;
                s.disabled = true;
                try {
                    const next = await api('PATCH', `/api/v1/tasks/${task.id}`, { status: s.value },
                        { version: task.version });
                    upsertTask(next, true);
                    toast(t('task.updated'));
                } catch (e) {
                    s.value = prev;
                    toast(messageOf(e), 'error');
                } finally {
                    s.disabled = false;
                }
            });
            parts.push(h('div', { class: 'task-edit' },
                h('label', { for: s.id, class: 'small', text: t('task.status_label') }), s));
        }
        parts.push(taskDetails(task, st.entries.values(), {
            mayEdit: mayUpdateTask(task), open: openDetails.has(task.id),
            onSaved: (next) => upsertTask(next, true, true),
        }));
        return h('li', { class: ['task', `task-is-${task.status}`, String(task.id) === targetTask ? 'task-target' : ''], testid: 'task', dataset: { taskId: task.id, status: task.status, group: task.group } }, parts);
    }

    function renderBoard() {
        const tasks = [...st.tasks.values()].sort((a, b) => a.id - b.id);
        if (!tasks.length) {
            replace(boardSlot, h('div', { testid: 'task-board', class: 'task-board empty-board' },
                emptyState(st.inc.status === 'reported' || st.inc.status === 'acknowledged'
                    ? t('room.tasks_after_activation') : t('room.no_tasks'))));
            return;
        }
        const order = (st.content.groups || []).map((g) => g.key);
        const keys = [...new Set(tasks.map((x) => x.group))]
            .sort((a, b) => (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999));
        replace(boardSlot, h('div', { class: 'task-board', testid: 'task-board' }, keys.map((g) => {
            const list = tasks.filter((x) => x.group === g);
            const done = list.filter((x) => x.status === 'done').length;
            return h('section', { class: ['task-col', inGroup(g) ? 'mine' : ''], dataset: { group: g }, 'aria-label': groupName(st.content, g) },
                h('h3', {}, groupName(st.content, g), ' ',
                    h('span', { class: 'pill', text: `${done}/${list.length}` }),
                    inGroup(g) ? h('span', { class: 'badge mine-tag', text: t('task.mine') }) : null),
                h('ul', { class: 'task-list' }, list.map(taskItem)));
        })));
    }

    // A task's details stay open across re-renders; one being typed in is
    // kept as it is when the task changes under it (saved: rebuilt).
    const openDetails = new Set();
    boardSlot.addEventListener('toggle', (ev) => {
        const li = ev.target.closest && ev.target.closest('[data-task-id]');
        if (li && ev.target.matches('[data-testid="task-details"]')) {
            if (ev.target.open)
                openDetails.add(Number(li.dataset.taskId));
            else
                openDetails.delete(Number(li.dataset.taskId));
        }
    }, true);

    function upsertTask(task, keepFocus, saved = false) {
        if (task.incident_id !== st.inc.id)
            return;
        const old = st.tasks.get(task.id);
        if (old && old.updated_at > task.updated_at)
            return;
        st.tasks.set(task.id, task);
        if ((task.origin || '').startsWith('review'))
            renderReview();
        const active = document.activeElement;
        const focusedTask = active && active.closest && active.closest('[data-task-id]');
        const focusId = focusedTask ? focusedTask.dataset.taskId : null;
        const li = boardSlot.querySelector(`[data-task-id="${task.id}"]`);
        const typing = !saved && li && active && active.closest && active.closest('[data-testid="task-form"]') &&
            li.contains(active) ? li.querySelector('[data-testid="task-details"]') : null;
        if (li && li.dataset.group === task.group) {
            // Only this task changed: replace it in place, so that another
            // task's open status menu is left alone.
            const fresh = taskItem(task);
            if (typing) {
                fresh.querySelector('[data-testid="task-details"]').replaceWith(typing);
                li.replaceWith(fresh);
                active.focus();
                return;
            }
            li.replaceWith(fresh);
            const col = boardSlot.querySelector(`.task-col[data-group="${CSS.escape(task.group)}"]`);
            const list = [...st.tasks.values()].filter((x) => x.group === task.group);
            const pill = col && col.querySelector('.pill');
            if (pill)
                pill.textContent = `${list.filter((x) => x.status === 'done').length}/${list.length}`;
        } else {
            renderBoard();
        }
        if (focusId && saved) {
            const b = boardSlot.querySelector(`[data-task-id="${focusId}"] [data-testid="task-save"]`);
            if (b)
                b.focus();
        } else if (focusId && (keepFocus || active.dataset.testid === 'task-status')) {
            const s = boardSlot.querySelector(`[data-task-id="${focusId}"] [data-testid="task-status"]`);
            if (s)
                s.focus();
        }
    }

    function renderAddTask() {
        if (!can('task.create') || st.inc.status !== 'active') {
            replace(addTaskSlot);
            return;
        }
        if (addTaskSlot.firstChild)
            return;
        const title = h('input', { testid: 'task-new-title', maxlength: 200, name: 'title' });
        const group = select(groupOptions(false), { testid: 'task-new-group', name: 'group' });
        const slot = h('div', { class: 'slot' });
        const submit = h('button', { type: 'submit', class: 'secondary', testid: 'task-new-submit', text: t('task.add') });
        const form = h('form', { class: 'inline-form', novalidate: true },
            field(t('task.new_title'), title), field(t('task.group'), group), submit, slot);
        form.addEventListener('submit', async (ev) => {
            ev.preventDefault();
            slot.replaceChildren();
            fieldError(title, null);
            if (!title.value.trim()) {
                fieldError(title, t('required'));
                title.focus();
                return;
            }
            await busy(submit, async () => {
                try {
                    const task = await api('POST', `/api/v1/incidents/${encodeURIComponent(st.inc.number)}/tasks`,
                        { title: title.value.trim(), group: group.value });
                    title.value = '';
                    upsertTask(task);
                    toast(t('task.added'));
                } catch (e) {
                    slot.append(errorBox(e));
                }
            });
        });
        replace(addTaskSlot, h('details', { class: 'add-task' },
            h('summary', { text: t('task.add') }), form));
    }

    // ---- timeline --------------------------------------------------------
    function entryText(e) {
        const d = e.data || {};
        const mine = entryTextOf(e, st.content);
        if (mine)
            return mine;
        if ((e.kind === 'status' || e.kind === 'level') && d.from && d.to) {
            let s = `${t(`status.${d.from}`)} → ${t(`status.${d.to}`)}`;
            if (d.action === 'set-level' || d.from === d.to)
                s = t('tl.level_set');
            if (d.level)
                s += ` · ${levelName(st.content, d.level)}`;
            return s;
        }
        if (e.kind === 'breach' && d.target)
            return t('breach.missed_target', { target: t(`target.${d.target}`) });
        if (e.kind === 'report')
            return t('tl.reported', { title: e.text });
        // A monitor's alerts, in batches: "12 more alerts: HighLatency×10, DiskFull×2".
        if (e.kind === 'alert' && d.change === 'alerts' && d.alerts && d.names)
            return t('tl.alerts_more', { n: d.alerts, names: alertNames(d.names) });
        if (e.kind === 'alert' && d.change === 'resolved' && d.alerts)
            return t('tl.alerts_resolved', { n: d.alerts });
        if (e.kind === 'task' && d.task && st.tasks.has(d.task)) {
            const task = st.tasks.get(d.task);
            if (d.change === 'created')
                return t('tl.task_created', { title: taskTitle(task), group: groupName(st.content, task.group) });
            if (d.status)
                return t('tl.task_status', { title: taskTitle(task), status: t(`task.${d.status}`) });
        }
        return e.text;
    }

    function entryItem(e) {
        const d = e.data || {};
        return h('li', { class: ['tl-entry', `tl-${e.kind}`], testid: 'timeline-entry', dataset: { kind: e.kind, id: e.id, key: d.key || '' } },
            h('div', { class: 'tl-head' },
                timeEl(e.at, 'seconds', { class: 'tl-time' }),
                h('span', { class: ['badge', 'kind', `kind-${e.kind}`], text: t(`tl.kind.${e.kind}`) }),
                h('span', { class: 'tl-actor', text: personName(e.actor_id) })),
            h('div', { class: 'tl-text', text: entryText(e) }),
            d.reason ? h('div', { class: 'tl-reason' }, h('span', { class: 'muted', text: `${t('action.f.reason')}: ` }), d.reason) : null,
            d.summary ? h('div', { class: 'tl-reason' }, h('span', { class: 'muted', text: `${t('action.f.summary')}: ` }), d.summary) : null);
    }

    function addEntry(e) {
        if (e.incident_id !== undefined && e.incident_id !== st.inc.id)
            return;
        if (st.entries.has(e.id) && timelineList.querySelector(`[data-id="${e.id}"]`))
            return;
        st.entries.set(e.id, e);
        const li = entryItem(e);
        const after = [...timelineList.children].find((x) => Number(x.dataset.id) > e.id);
        const empty = timelineList.querySelector('.tl-empty');
        if (empty)
            empty.remove();
        timelineList.insertBefore(li, after || null);
        refreshTaskHistory(e);
    }

    // A task's history follows the timeline's entries about it.
    function refreshTaskHistory(e) {
        const id = e.kind === 'task' && e.data && e.data.task;
        const hist = id && boardSlot.querySelector(`[data-task-id="${id}"] [data-testid="task-history"]`);
        if (hist && st.tasks.has(id))
            hist.replaceWith(taskHistory(st.tasks.get(id), st.entries.values()));
    }

    function renderTimeline() {
        replace(timelineList);
        const list = [...st.entries.values()].sort((a, b) => a.id - b.id);
        if (!list.length)
            timelineList.append(h('li', { class: 'tl-empty muted', text: t('room.no_entries') }));
        for (const e of list)
            timelineList.append(entryItem(e));
    }

    function noteForm() {
        if (!can('incident.note'))
            return null;
        const text = h('textarea', { rows: 3, testid: 'note-text', name: 'text', maxlength: 20000 });
        const slot = h('div', { class: 'slot' });
        const submit = h('button', { type: 'submit', class: 'primary', testid: 'note-submit', text: t('note.add') });
        const form = h('form', { class: 'note-form stack', novalidate: true }, field(t('note.label'), text), slot,
            h('div', { class: 'form-actions' }, submit));
        form.addEventListener('submit', async (ev) => {
            ev.preventDefault();
            slot.replaceChildren();
            fieldError(text, null);
            if (!text.value.trim()) {
                fieldError(text, t('required'));
                text.focus();
                return;
            }
            await busy(submit, async () => {
                try {
                    const e = await api('POST', `/api/v1/incidents/${encodeURIComponent(st.inc.number)}/notes`, { text: text.value.trim() });
                    addEntry({ actor_id: session.user.id, data: {}, ...e, incident_id: st.inc.id });
                    text.value = '';
                    toast(t('note.added'));
                } catch (err) {
                    slot.append(errorBox(err));
                }
            });
        });
        return form;
    }

    // ---- notifications ---------------------------------------------------
    async function renderNotifications() {
        if (!can('notification.read'))
            return;
        try {
            const r = await api('GET', `/api/v1/notifications${qs({ incident: st.inc.number, limit: 200 })}`);
            if (!ctx.alive())
                return;
            if (!r.items.length) {
                replace(notifSlot, emptyState(t('notif.none')));
                return;
            }
            const acked = r.items.filter((n) => n.acked_at).length;
            replace(notifSlot,
                h('p', { class: 'muted small', text: t('notif.summary', { n: r.items.length, a: acked }) }),
                h('ul', { class: 'notif-list', testid: 'notification-list' }, r.items.map((n) => h('li', { dataset: { state: n.state } },
                    h('div', {}, h('span', { class: ['badge', `notif-${n.state}`], text: t(`notif.state.${n.state}`) }), ' ',
                        h('span', { class: 'small', text: t(`notif.event.${n.event}`) === `notif.event.${n.event}` ? n.event : t(`notif.event.${n.event}`) }),
                        n.acked_at ? h('span', { class: 'badge notif-acked', text: t('notif.acked') }) : null),
                    h('div', { class: 'small' }, n.recipient || '—', ' · ', timeEl(n.sent_at || n.created_at)),
                    n.acked_at ? h('div', { class: 'small muted' }, t('notif.acked_by', { who: n.acked_by || '' }), ' ', timeEl(n.acked_at)) : null,
                    n.state === 'failed' && n.last_error ? h('div', { class: 'small error-text', text: n.last_error }) : null))));
        } catch (e) {
            replace(notifSlot, errorBox(e));
        }
    }

    // ---- supplies ------------------------------------------------------------
    // A drill incident links back to its drill.
    async function findDrill() {
        if (!st.inc.is_drill)
            return;
        const list = await api('GET', '/api/v1/drills').catch(() => null);
        const d = list && list.items.find((x) => x.incident_id === st.inc.id);
        if (d && ctx.alive()) {
            st.drill = d;
            renderHead();
        }
    }

    async function renderSupplies() {
        try {
            const list = await incidentSupplies(st.inc.number);
            if (ctx.alive())
                replace(suppliesSlot, list);
        } catch (e) {
            if (ctx.alive())
                replace(suppliesSlot, errorBox(e));
        }
    }

    // ---- live updates ------------------------------------------------------
    function applyIncident(next) {
        if (!next || next.id !== st.inc.id)
            return;
        if (st.inc.updated_at > next.updated_at)
            return;
        // A live update carries the row only: what GET adds (whether the
        // chain reached the leadership, the task counts) comes after.
        if (!('chain_reached_leadership' in next)) {
            next = { ...next, chain_reached_leadership: st.inc.chain_reached_leadership };
            if (next.status === 'reported')
                refreshIncident();
        }
        st.inc = next;
        regulatory.update(next);
        renderHead();
        renderTimers();
        renderDetails();
        renderActions();
        renderReview();
        renderAddTask();
        if (!st.tasks.size)
            renderBoard();
    }

    const refreshNotifs = debounce(renderNotifications, 500);
    const refreshIncident = debounce(async () => {
        try {
            applyIncident(await api('GET', `/api/v1/incidents/${encodeURIComponent(st.inc.number)}`));
        } catch {
            // the next event will try again
        }
    }, 200);
    // Some entries (the notification rounds) reach the timeline without an
    // event of their own: after each change of the incident, fetch the
    // timeline again and add what is new (entries are deduplicated by id).
    const refreshTimeline = debounce(async () => {
        try {
            const r = await api('GET', `/api/v1/incidents/${encodeURIComponent(st.inc.number)}/timeline`);
            if (!ctx.alive())
                return;
            let notif = false;
            for (const e of r.items)
                if (!st.entries.has(e.id)) {
                    addEntry({ ...e, incident_id: st.inc.id });
                    notif = notif || e.kind === 'notification';
                }
            if (notif)
                refreshNotifs();
        } catch {
            // the next change tries again
        }
    }, 700);
    const refreshSupplies = debounce(renderSupplies, 300);
    // New alerts reach the timeline in batches and change the incident;
    // either brings the card up to date (it holds no form to keep).
    const refreshAlerts = debounce(() => {
        if (fromMonitor(st.inc))
            alerts.load();
    }, 500);
    ctx.onCleanup(refreshAlerts.cancel);
    ctx.onCleanup(refreshNotifs.cancel);
    ctx.onCleanup(refreshSupplies.cancel);
    ctx.onCleanup(refreshIncident.cancel);
    ctx.onCleanup(refreshTimeline.cancel);

    function onEvent(kind, data) {
        if (!ctx.alive() || !data && kind !== 'open')
            return;
        if (kind === 'open') {
            refreshTimeline();
            refreshAlerts();
        } else if (kind === 'incident') {
            if (data.id === st.inc.id) {
                refreshTimeline();
                refreshAlerts();
            }
            applyIncident(data);
        }
        else if (kind === 'timeline' && data.incident_id === st.inc.id) {
            addEntry(data);
            refreshAlerts();
            if (data.kind === 'notification')
                refreshNotifs();
            if (data.data && data.data.supply)
                refreshSupplies();
        } else if (kind === 'task')
            upsertTask(data);
        else if (kind === 'breach' && data.number === st.inc.number)
            refreshIncident();
    }

    renderHead();
    renderTimers();
    renderDetails();
    renderActions();
    renderReview();
    renderBoard();
    renderAddTask();
    renderTimeline();
    renderSupplies();
    if (fromMonitor(st.inc))
        alerts.load();
    findDrill();
    const target = targetTask && boardSlot.querySelector(`[data-task-id="${CSS.escape(targetTask)}"]`);
    if (target)
        target.scrollIntoView({ block: 'center' });
    ready = true;
    for (const [k, d] of queue.splice(0))
        onEvent(k, d);
    await renderNotifications();
}
