// #/ : the situation at a glance. Active incidents grouped by level with
// live timers; what awaits me; the plan in force; the year's outstanding
// drills; failed deliveries.

import { api, qs } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { t, tx, addTexts } from '../lib/i18n.js';
import { can, session, myGroupKeys } from '../lib/session.js';
import { subscribe, debounce } from '../lib/sse.js';
import { currentPlan, contentOf, sortedLevels, categoryName, groupName } from '../lib/plan.js';
import { timeEl } from '../lib/time.js';
import {
    ACTIVE_STATUSES, isOpen, statusBadge, levelBadge, drillTag, sourceBadge, incidentTimers, emptyState,
    loading, errorBox, incidentLink, toast, busy, setTitle, messageOf, taskTitle,
} from '../lib/ui.js';
import { loadCompliance, outstandingList } from './drills.js';
import { regulatoryBadge } from '../lib/regulatory.js';

addTexts({
    'zh-CN': {
        'dashboard.on_duty': '当前值班',
        'dashboard.on_duty.roster': '值班表',
        'dashboard.on_duty.until': '至',
        'dashboard.on_duty.rest': '其余 {n} 个小组当前没有排班。',
        'dashboard.plans_pending': '待审批/发布的预案',
        'dashboard.plan_version': '{name} 第 {n} 版',
        'dashboard.plan_step.approve': '待批准',
        'dashboard.plan_step.publish': '待发布',
    },
    en: {
        'dashboard.on_duty': 'On duty now',
        'dashboard.on_duty.roster': 'Duty roster',
        'dashboard.on_duty.until': 'until',
        'dashboard.on_duty.rest': '{n} more groups have nobody scheduled now.',
        'dashboard.plans_pending': 'Plans awaiting approval or publication',
        'dashboard.plan_version': '{name}, version {n}',
        'dashboard.plan_step.approve': 'to approve',
        'dashboard.plan_step.publish': 'to publish',
    },
});

/* Plan versions awaiting a step the user may take (approve, publish). */
async function pendingPlans() {
    if (!can('plan.approve') && !can('plan.publish'))
        return null;
    return (await api('GET', '/api/v1/plans/pending')).items;
}

async function activeIncidents() {
    const lists = await Promise.all(ACTIVE_STATUSES.map((s) =>
        api('GET', `/api/v1/incidents${qs({ status: s, limit: 500 })}`)));
    return lists.flatMap((l) => l.items);
}

function incidentItem(content, inc) {
    return h('li', {
        class: ['inc-item', isOpen(inc) && inc.breaches && inc.breaches.length ? 'breached' : ''],
        testid: 'dashboard-incident', dataset: { number: inc.number, status: inc.status },
    },
    h('div', { class: 'inc-line' }, incidentLink(inc), statusBadge(inc.status),
        inc.level ? null : inc.proposed_level
            ? h('span', { class: 'muted small' }, t('incident.proposed'), ' ', levelBadge(content, inc.proposed_level))
            : null,
        inc.is_drill ? drillTag() : null, sourceBadge(inc)),
    h('a', { class: 'inc-title', href: `#/incidents/${encodeURIComponent(inc.number)}`, text: inc.title }),
    h('div', { class: 'inc-meta muted' }, categoryName(content, inc.category), ' · ',
        t('incident.reported_at'), ' ', timeEl(inc.reported_at)),
    incidentTimers(inc),
    inc.regulatory && inc.regulatory.required ? h('div', { class: 'inc-reg' }, regulatoryBadge(inc, 'dashboard-reg')) : null);
}

function renderActive(slot, content, incidents) {
    const head = slot.closest('section').querySelector('.count');
    if (head)
        head.textContent = String(incidents.length);
    if (!incidents.length) {
        replace(slot, emptyState(t('dashboard.none_active'), 'dashboard-none'));
        return;
    }
    const groups = [];
    for (const lv of sortedLevels(content)) {
        const items = incidents.filter((i) => i.level === lv.key);
        if (items.length)
            groups.push({ key: lv.key, items });
    }
    const known = new Set((content.levels || []).map((l) => l.key));
    const other = incidents.filter((i) => i.level && !known.has(i.level));
    for (const key of new Set(other.map((i) => i.level)))
        groups.push({ key, items: other.filter((i) => i.level === key) });
    const ungraded = incidents.filter((i) => !i.level);
    if (ungraded.length)
        groups.push({ key: null, items: ungraded });
    replace(slot, groups.map((g) => h('div', { class: 'level-group', dataset: { level: g.key || '' } },
        h('h3', { class: 'level-head' }, levelBadge(content, g.key),
            h('span', { class: 'muted', text: t('dashboard.count', { n: g.items.length }) })),
        h('ul', { class: 'inc-list' }, g.items.map((i) => incidentItem(content, i))))));
}

function miniList(items, make, emptyText, testid) {
    if (!items.length)
        return emptyState(emptyText, `${testid}-empty`);
    return h('ul', { class: 'mini-list', testid }, items.map(make));
}

function renderMine(slot, content, incidents, tasks, plans) {
    const parts = [];
    if (plans) {
        parts.push(h('h3', { text: t('dashboard.plans_pending') }),
            miniList(plans, (v) => h('li', { dataset: { plan: v.plan_key, n: v.n } },
                h('a', { href: `#/plans${qs({ plan: v.plan_key, v: v.n })}`, text: t('dashboard.plan_version', { name: tx(v.name) || v.plan_key, n: v.n }) }),
                ' ', h('span', { class: 'badge plan-in_review', text: t(v.steps.includes('publish') ? 'dashboard.plan_step.publish' : 'dashboard.plan_step.approve') })),
            t('dashboard.nothing'), 'dashboard-plans-pending'));
    }
    if (can('incident.ack')) {
        const list = incidents.filter((i) => i.status === 'reported');
        parts.push(h('h3', { text: t('dashboard.to_ack') }),
            miniList(list, (i) => h('li', {}, incidentLink(i), ' ', h('span', { text: i.title }), ' ', incidentTimers(i)),
                t('dashboard.nothing'), 'dashboard-to-ack'));
    }
    if (can('incident.activate')) {
        const list = incidents.filter((i) => i.status === 'acknowledged');
        parts.push(h('h3', { text: t('dashboard.to_activate') }),
            miniList(list, (i) => h('li', {}, incidentLink(i), ' ', h('span', { text: i.title }), ' ', incidentTimers(i)),
                t('dashboard.nothing'), 'dashboard-to-activate'));
    }
    if (myGroupKeys().length) {
        parts.push(h('h3', { text: t('dashboard.my_tasks') }),
            miniList(tasks, ({ task, inc }) => h('li', { dataset: { taskId: task.id } },
                h('a', { href: `#/incidents/${encodeURIComponent(inc.number)}`, text: inc.number }), ' ',
                h('span', { text: taskTitle(task) }), ' ',
                h('span', { class: 'muted small', text: `(${groupName(content, task.group)})` }), ' ',
                h('span', { class: ['badge', `task-${task.status}`], text: t(`task.${task.status}`) })),
            t('dashboard.no_tasks'), 'dashboard-my-tasks'));
    }
    if (!parts.length)
        parts.push(emptyState(t('dashboard.nothing_for_role')));
    replace(slot, parts);
}

async function myTasks(incidents) {
    const mine = new Set(myGroupKeys());
    if (!mine.size)
        return [];
    const active = incidents.filter((i) => i.status === 'active');
    const lists = await Promise.all(active.map((inc) =>
        api('GET', `/api/v1/incidents/${encodeURIComponent(inc.number)}/tasks`).then((r) => ({ inc, items: r.items }))));
    const out = [];
    for (const { inc, items } of lists)
        for (const task of items)
            if (mine.has(task.group) && task.status !== 'done')
                out.push({ task, inc });
    return out;
}

async function renderPlan(slot, plan) {
    if (!plan) {
        replace(slot, emptyState(t('plan.none_in_force'), 'dashboard-no-plan'));
        return;
    }
    const state = h('p', { class: 'ack-state', testid: 'plan-ack-state', role: 'status' });
    const button = h('button', { type: 'button', class: 'primary', testid: 'plan-ack', text: t('plan.ack') });
    button.addEventListener('click', () => busy(button, async () => {
        try {
            const r = await api('POST', `/api/v1/plans/${encodeURIComponent(plan.plan_key)}/versions/${plan.n}/ack`, {});
            state.textContent = t('plan.acked_at', { at: '' });
            state.append(timeEl(r.acknowledged_at));
            state.classList.add('ok');
            button.textContent = t('plan.ack_again');
            toast(t('plan.acked'));
        } catch (e) {
            toast(messageOf(e), 'error');
        }
    }));
    replace(slot,
        h('p', { class: 'plan-name' }, h('a', { href: '#/plans', text: tx(plan.name) })),
        h('p', { class: 'muted' }, t('plan.version_n', { n: plan.n }), ' · ', t('plan.published_at'), ' ', timeEl(plan.published_at)),
        state, button);
    if (can('plan.acks')) {
        try {
            const acks = await api('GET', `/api/v1/plans/${encodeURIComponent(plan.plan_key)}/versions/${plan.n}/acks${qs({ state: 'pending' })}`);
            const pending = acks.items.some((a) => a.user_id === session.user.id);
            state.textContent = pending ? t('plan.not_acked') : t('plan.acked_by_me');
            state.classList.toggle('ok', !pending);
            state.classList.toggle('warn', pending);
            if (!pending)
                button.textContent = t('plan.ack_again');
            slot.append(h('p', { class: 'muted small' },
                t('plan.ack_progress', { a: acks.acknowledged, n: acks.total })));
        } catch {
            // the acknowledgement button is enough
        }
    }
}

/** This year's drill requirements still open; the card hides when there is nothing to say. */
async function renderDrills(slot, content) {
    const card = slot.closest('section');
    let c = null;
    try {
        c = await loadCompliance();
    } catch {
        // not for me (403) or not now: the rest of the page is enough
    }
    if (!c) {
        card.hidden = true;
        return;
    }
    const n = (c.overdue || []).length;
    replace(slot,
        h('p', { class: ['ack-state', n ? 'warn' : 'ok'], text: n ? t('compliance.outstanding', { n }) : t('compliance.all_done') }),
        n ? outstandingList(content, c, 'dashboard-drills-overdue-list') : null,
        h('p', { class: 'small' }, h('a', { href: '#/drills', text: t('dashboard.drills_more') })));
}

async function renderFailures(slot) {
    const r = await api('GET', `/api/v1/notifications${qs({ state: 'failed', limit: 20 })}`);
    if (!r.items.length) {
        replace(slot, emptyState(t('dashboard.no_failures'), 'dashboard-no-failures'));
        return;
    }
    replace(slot, h('ul', { class: 'mini-list', testid: 'dashboard-failures-list' }, r.items.map((n) => {
        const retry = h('button', { type: 'button', class: 'small', text: t('notif.retry'), testid: 'notif-retry' });
        retry.addEventListener('click', () => busy(retry, async () => {
            try {
                await api('POST', `/api/v1/notifications/${n.id}/retry`, {});
                toast(t('notif.retried'));
                retry.closest('li').remove();
            } catch (e) {
                toast(messageOf(e), 'error');
            }
        }));
        return h('li', {}, h('span', { text: n.subject || n.event }), ' ',
            h('span', { class: 'muted small', text: `${n.recipient} · ${n.last_error}` }), ' ', retry);
    })));
}

/** Who is on duty now in each group (GET …/on-duty), linked to the roster. */
async function renderOnDuty(slot) {
    const groups = (await api('GET', '/api/v1/groups')).items || [];
    const rows = await Promise.all(groups.map(async (g) => {
        const d = await api('GET', `/api/v1/groups/${encodeURIComponent(g.key)}/on-duty`).catch(() => null);
        return { g, od: d && d.on_duty };
    }));
    const on = rows.filter((x) => x.od);
    const list = h('ul', { class: 'plain on-duty-list', testid: 'on-duty-list' }, on.map(({ g, od }) =>
        h('li', { testid: 'on-duty-group', dataset: { group: g.key } },
            h('a', { href: `#/duty${qs({ group: g.key })}`, text: g.name }), ': ',
            h('strong', { testid: 'on-duty-person', text: od.display_name || od.login }),
            od.shift && od.shift.end ? [' ', h('span', { class: 'muted small' }, `${t('dashboard.on_duty.until')} `, timeEl(od.shift.end))] : null)));
    const rest = rows.length - on.length;
    const note = rest ? h('p', { class: 'muted small', testid: 'on-duty-rest', text: t('dashboard.on_duty.rest', { n: rest }) }) : null;
    replace(slot, on.length ? list : emptyState(t('admin.nobody_on_duty')), note);
}

export async function render(ctx) {
    setTitle(t('nav.dashboard'));
    const activeSlot = h('div', { class: 'slot' }, loading());
    const mineSlot = h('div', { class: 'slot' }, loading());
    const planSlot = h('div', { class: 'slot' }, loading());
    const failSlot = h('div', { class: 'slot' }, loading());
    const drillSlot = h('div', { class: 'slot' }, loading());
    const dutySlot = h('div', { class: 'slot' }, loading());
    const showFailures = can('notification.retry');

    ctx.root.append(
        h('div', { class: 'page-head' },
            h('div', {}, h('h1', { text: t('dashboard.title') }),
                h('p', { class: 'muted', text: t('dashboard.hello', { name: session.user.display_name || session.user.login }) })),
            h('a', { href: '#/report', class: 'button primary', testid: 'dashboard-report', text: t('nav.report') })),
        h('div', { class: 'dash-grid' },
            h('section', { class: 'card', testid: 'dashboard-active', 'aria-labelledby': 'dash-active' },
                h('div', { class: 'card-head' }, h('h2', { id: 'dash-active' }, t('dashboard.active'), ' ',
                    h('span', { class: 'count pill', text: '…' }))),
                activeSlot),
            h('div', { class: 'dash-side' },
                h('section', { class: 'card', testid: 'dashboard-mine', 'aria-labelledby': 'dash-mine' },
                    h('h2', { id: 'dash-mine', text: t('dashboard.mine') }), mineSlot),
                h('section', { class: 'card', testid: 'dashboard-on-duty', 'aria-labelledby': 'dash-duty' },
                    h('div', { class: 'card-head' }, h('h2', { id: 'dash-duty', text: t('dashboard.on_duty') }),
                        h('a', { href: '#/duty', class: 'small', text: t('dashboard.on_duty.roster') })),
                    dutySlot),
                h('section', { class: 'card', testid: 'dashboard-plan', 'aria-labelledby': 'dash-plan' },
                    h('h2', { id: 'dash-plan', text: t('dashboard.plan') }), planSlot),
                h('section', { class: 'card', testid: 'dashboard-drills-overdue', 'aria-labelledby': 'dash-drills' },
                    h('h2', { id: 'dash-drills', text: t('dashboard.drills') }), drillSlot),
                showFailures ? h('section', { class: 'card', testid: 'dashboard-failures', 'aria-labelledby': 'dash-fail' },
                    h('h2', { id: 'dash-fail', text: t('dashboard.failures') }), failSlot) : null)));

    let content = contentOf(null);
    try {
        const plan = await currentPlan();
        content = contentOf(plan);
        if (ctx.alive())
            renderPlan(planSlot, plan).catch((e) => replace(planSlot, errorBox(e)));
    } catch (e) {
        replace(planSlot, errorBox(e));
    }
    if (!ctx.alive())
        return;
    renderDrills(drillSlot, content);
    renderOnDuty(dutySlot).catch((e) => replace(dutySlot, errorBox(e)));

    let incidents = [];
    const loadIncidents = async () => {
        try {
            incidents = await activeIncidents();
            if (!ctx.alive())
                return;
            renderActive(activeSlot, content, incidents);
            const [tasks, plans] = await Promise.all([myTasks(incidents), pendingPlans()]);
            if (ctx.alive())
                renderMine(mineSlot, content, incidents, tasks, plans);
        } catch (e) {
            if (ctx.alive() && e.status !== 401)
                replace(activeSlot, errorBox(e));
        }
    };
    const loadFailures = () => renderFailures(failSlot).catch((e) => replace(failSlot, errorBox(e)));

    const refresh = debounce(loadIncidents, 250);
    ctx.onCleanup(refresh.cancel);
    ctx.onCleanup(subscribe((kind, data) => {
        if (kind === 'incident' || kind === 'breach' || kind === 'open')
            refresh();
        else if (kind === 'task' && data && myGroupKeys().includes(data.group))
            refresh();
        if (showFailures && (kind === 'open'))
            loadFailures();
    }));
    await loadIncidents();
    if (showFailures)
        await loadFailures();
}
