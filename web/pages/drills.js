// #/drills?year=Y : the drills, the year's drills against the plan's
// requirements, the calendar feed, and planning a drill.
// #/drills/ID : one drill: scenario and timed injects, its steps (start,
// complete, cancel), the drill incident it runs on, and its evaluation.

import { api, qs } from '../lib/api.js';
import { h, replace, field, checkField, select, fieldError } from '../lib/dom.js';
import { t, tx, addTexts } from '../lib/i18n.js';
import { can } from '../lib/session.js';
import { subscribe } from '../lib/sse.js';
import { currentPlan, contentOf, categoryTree, sortedLevels, categoryName, groupName } from '../lib/plan.js';
import { timeEl, fmtDuration, fmtMinutes, localInputToIso, nowLocalInput } from '../lib/time.js';
import { statusBadge, levelBadge, errorBox, emptyState, loading, toast, busy, setTitle, showFailure } from '../lib/ui.js';

const STEPS = { planned: ['start', 'cancel'], running: ['complete', 'cancel'] };

addTexts({
    'zh-CN': {
        'drillx.delivered': '已送达',
        'drillx.pending': '待送达',
    },
    en: {
        'drillx.delivered': 'delivered',
        'drillx.pending': 'not yet delivered',
    },
});

export function drillStatusBadge(status, testid) {
    return h('span', { class: ['badge', `dstatus-${status}`], testid, dataset: { status } }, t(`dstatus.${status}`));
}

function kindTag(kind) {
    return h('span', { class: 'badge kind-tag', text: t(`drillkind.${kind}`) });
}

export async function render(ctx) {
    if (ctx.params[0])
        return renderDrill(ctx, ctx.params[0]);
    return renderList(ctx);
}

// ---- compliance --------------------------------------------------------------

/** The categories still short of drills, each with what is missing. */
export function outstandingList(content, c, testid) {
    return h('ul', { class: 'mini-list', testid }, (c.overdue || []).map((key) => {
        const missing = (c.lines || []).filter((l) => l.category === key && l.overdue)
            .map((l) => `${t(`drillkind.${l.kind}`)} ${l.done}/${l.required}`);
        return h('li', { dataset: { category: key } }, h('strong', { text: categoryName(content, key) }), ' ',
            h('span', { class: 'muted small', text: missing.join(t('list.sep')) }));
    }));
}

/** GET the compliance of a year (none: this year); null when no plan is in force. */
export async function loadCompliance(year) {
    try {
        return await api('GET', `/api/v1/drills/compliance${qs({ year })}`);
    } catch (e) {
        if (e.status === 409)
            return null;
        throw e;
    }
}

function complianceCard(content, year) {
    const slot = h('div', { class: 'slot' }, loading());
    const title = h('h2', { id: 'drills-compliance-title', text: t('compliance.title', { year }) });
    loadCompliance(year).then((c) => {
        if (!c) {
            replace(slot, emptyState(t('compliance.no_plan'), 'drills-compliance-none'));
            return;
        }
        const outstanding = (c.overdue || []).length;
        replace(slot,
            h('p', { class: ['ack-state', outstanding ? 'warn' : 'ok'], testid: 'drills-compliance-summary',
                text: outstanding ? t('compliance.outstanding', { n: outstanding }) : t('compliance.all_done') }),
            outstanding ? outstandingList(content, c, 'drills-overdue') : null,
            h('details', {},
                h('summary', { text: t('compliance.details') }),
                h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'drills-compliance-lines' },
                    h('thead', {}, h('tr', {}, ['compliance.col.category', 'compliance.col.kind', 'compliance.col.done', 'compliance.col.state']
                        .map((k) => h('th', { scope: 'col', text: t(k) })))),
                    h('tbody', {}, (c.lines || []).map((l) => h('tr', { class: l.overdue ? 'late' : '', dataset: { category: l.category, kind: l.kind } },
                        h('td', { text: categoryName(content, l.category) }),
                        h('td', { text: t(`drillkind.${l.kind}`) }),
                        h('td', { text: `${l.done}/${l.required}` }),
                        h('td', {}, h('span', { class: ['badge', l.overdue ? 'verdict-missed' : 'verdict-met'], text: t(l.overdue ? 'compliance.overdue' : 'compliance.met') })))))))));
    }).catch((e) => replace(slot, errorBox(e)));
    return h('section', { class: 'card', testid: 'drills-compliance', 'aria-labelledby': 'drills-compliance-title' }, title, slot);
}

// ---- the list -----------------------------------------------------------------

async function renderList(ctx) {
    setTitle(t('nav.drills'));
    const year = Number(ctx.query.get('year')) || 0;
    ctx.root.append(loading());
    const [plan, list] = await Promise.all([currentPlan().catch(() => null),
        api('GET', `/api/v1/drills${qs({ year: year || '' })}`)]);
    if (!ctx.alive())
        return;
    const content = contentOf(plan);
    const thisYear = new Date().getFullYear();
    const years = [];
    for (let y = thisYear + 1; y >= thisYear - 4; y--)
        years.push(y);
    if (year && !years.includes(year))
        years.push(year);
    const yearSel = select([{ value: '', label: t('drills.all_years') }, ...years.map((y) => ({ value: String(y), label: String(y) }))],
        { testid: 'drills-year', value: year ? String(year) : '' });
    yearSel.addEventListener('change', () => ctx.navigate(`#/drills${qs({ year: yearSel.value })}`));

    const items = [...list.items].sort((a, b) => b.scheduled_at.localeCompare(a.scheduled_at));
    const table = items.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'data cards', testid: 'drills-table' },
            h('caption', { class: 'sr-only', text: t('drills.list') }),
            h('thead', {}, h('tr', {}, ['drills.col.title', 'drills.col.kind', 'drills.col.category', 'drills.col.scheduled', 'drills.col.status']
                .map((k) => h('th', { scope: 'col', text: t(k) })))),
            h('tbody', {}, items.map((d) => h('tr', { testid: 'drill-row', dataset: { id: d.id, status: d.status } },
                h('td', { class: 'card-title' }, h('a', { href: `#/drills/${d.id}`, text: d.title })),
                h('td', { dataset: { label: t('drills.col.kind') } }, kindTag(d.kind)),
                h('td', { dataset: { label: t('drills.col.category') }, text: categoryName(content, d.category) }),
                h('td', { class: 'nowrap', dataset: { label: t('drills.col.scheduled') } }, timeEl(d.scheduled_at)),
                h('td', { dataset: { label: t('drills.col.status') } }, drillStatusBadge(d.status)))))))
        : emptyState(t('drills.none'), 'drills-empty');

    const feedSlot = h('div', { testid: 'feed-slot' });
    ctx.root.replaceChildren(
        h('div', { class: 'page-head' },
            h('div', {}, h('h1', { text: t('drills.title') }), h('p', { class: 'muted', text: t('drills.sub') })),
            h('div', { class: 'head-tools' },
                h('a', { href: '/api/v1/drills.ics', class: 'button secondary', testid: 'drills-ics', download: 'drills.ics', text: t('drills.ics') }),
                feedButton(feedSlot))),
        feedSlot,
        h('div', { class: 'dash-grid' },
            h('div', { class: 'dash-side' },
                h('section', { class: 'card', 'aria-labelledby': 'drills-list-title' },
                    h('div', { class: 'card-head' }, h('h2', { id: 'drills-list-title', text: t('drills.list') }),
                        h('div', { class: 'head-tools' }, field(t('drills.year'), yearSel))),
                    table),
                plan && can('drill.manage') ? planCard(ctx, content, !items.length) : null),
            h('div', { class: 'dash-side' }, complianceCard(content, year || thisYear))));
}

/**
 * Calendar apps subscribe with a URL that carries a read-only feed token
 * (never the session or an API token). A new one revokes the old; the
 * URLs are shown once, here.
 */
export function feedButton(slot) {
    const b = h('button', { type: 'button', class: 'button secondary', testid: 'feed-token-new', text: t('feed.new') });
    b.addEventListener('click', async () => {
        slot.replaceChildren();
        try {
            const f = await busy(b, () => api('POST', '/api/v1/me/feed-token'));
            const url = (key, label) => field(label, h('input', { readonly: true, value: f.feeds[key], testid: `feed-url-${key}`, class: 'wide' }));
            slot.replaceChildren(h('section', { class: 'card', testid: 'feed-card' },
                h('p', { class: 'muted', text: t('feed.once') }),
                url('drills', t('feed.drills')), url('shifts', t('feed.shifts'))));
        } catch (err) {
            showFailure(err, {}, slot, 'feed-error');
        }
    });
    return b;
}

function injectRow(list) {
    const min = h('input', { type: 'number', min: 0, max: 10080, step: 1, testid: 'drill-inject-min', class: 'num' });
    const text = h('input', { maxlength: 2000, testid: 'drill-inject-text' });
    const remove = h('button', { type: 'button', class: 'link-button small', text: t('remove') });
    const li = h('li', { class: 'item-row row-fields', testid: 'drill-inject-row' },
        field(t('drill.f.inject.min'), min), field(t('drill.f.inject.text'), text), remove);
    remove.addEventListener('click', () => {
        li.remove();
        list.parentElement.querySelector('[data-testid="drill-inject-add"]').focus();
    });
    return li;
}

function planCard(ctx, content, open) {
    const title = h('input', { maxlength: 200, testid: 'drill-new-title', name: 'title', autocomplete: 'off' });
    const kind = select(['tabletop', 'live'].map((k) => ({ value: k, label: t(`drillkind.${k}`) })), { testid: 'drill-new-kind', name: 'kind' });
    const category = select([{ value: '', label: t('report.choose_category') },
        ...categoryTree(content).map(({ cat, depth }) => ({ value: cat.key, label: `${'\u3000'.repeat(depth)}${tx(cat.name)}` }))],
    { testid: 'drill-new-category', name: 'category' });
    const level = select([{ value: '', label: t('drill.f.level.none') },
        ...sortedLevels(content).map((l) => ({ value: l.key, label: tx(l.name) }))], { testid: 'drill-new-level', name: 'level' });
    const at = h('input', { type: 'datetime-local', testid: 'drill-new-at', name: 'scheduled_at', value: nowLocalInput(24 * 60) });
    const minutes = h('input', { type: 'number', min: 1, max: 10080, step: 1, value: '60', testid: 'drill-new-minutes', name: 'minutes' });
    const location = h('input', { maxlength: 120, testid: 'drill-new-location', name: 'location' });
    const participants = h('textarea', { rows: 3, testid: 'drill-new-participants', name: 'participants' });
    const scenario = h('textarea', { rows: 4, testid: 'drill-new-scenario', name: 'scenario' });
    const injects = h('ol', { class: 'items', testid: 'drill-injects-edit' });
    const add = h('button', { type: 'button', class: 'secondary small', testid: 'drill-inject-add', text: t('drill.inject.add') });
    add.addEventListener('click', () => {
        injects.append(injectRow(injects));
        injects.lastElementChild.querySelector('input').focus();
    });
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'drill-new-submit', text: t('drill.f.submit') });
    const controls = { title, kind, category, level, scheduled_at: at, minutes, location, participants, scenario };
    const form = h('form', { class: 'grid-form', novalidate: true, testid: 'drill-new-form' },
        field(t('drill.f.title'), title), field(t('drill.f.kind'), kind),
        field(t('drill.f.category'), category), field(t('drill.f.level'), level, { optional: t('optional') }),
        field(t('drill.f.at'), at), field(t('drill.f.minutes'), minutes),
        field(t('drill.f.location'), location, { optional: t('optional') }),
        field(t('drill.f.participants'), participants, { optional: t('optional'), hint: t('drill.f.participants.hint') }),
        field(t('drill.f.scenario'), scenario, { optional: t('optional'), class: 'full' }),
        h('fieldset', { class: 'items-box' }, h('legend', { text: t('drill.f.injects') }),
            h('p', { class: 'hint', text: t('drill.f.injects.hint') }), injects, add),
        slot, h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.replaceChildren();
        for (const c of Object.values(controls))
            fieldError(c, null);
        const iso = localInputToIso(at.value);
        for (const [c, bad] of [[title, !title.value.trim()], [category, !category.value], [at, !iso]])
            if (bad) {
                fieldError(c, t('required'));
                c.focus();
                return;
            }
        const body = {
            title: title.value.trim(), kind: kind.value, category: category.value, scheduled_at: iso,
            minutes: Number(minutes.value) || 60,
            participants: participants.value.split('\n').map((s) => s.trim()).filter(Boolean),
            injects: [],
        };
        if (level.value)
            body.level = level.value;
        if (location.value.trim())
            body.location = location.value.trim();
        if (scenario.value.trim())
            body.scenario = scenario.value.trim();
        for (const row of injects.children) {
            const text = row.querySelector('[data-testid="drill-inject-text"]').value.trim();
            if (text)
                body.injects.push({ at_min: Number(row.querySelector('[data-testid="drill-inject-min"]').value) || 0, text });
        }
        body.injects.sort((a, b) => a.at_min - b.at_min);
        await busy(submit, async () => {
            try {
                const d = await api('POST', '/api/v1/drills', body);
                toast(t('drill.planned', { title: d.title }));
                ctx.navigate(`#/drills/${d.id}`);
            } catch (e) {
                showFailure(e, controls, slot, 'drill-new-error');
            }
        });
    });
    return h('section', { class: 'card', testid: 'drill-plan', 'aria-labelledby': 'drill-plan-title' },
        h('details', { class: 'fold', open },
            h('summary', { testid: 'drill-plan-open' }, h('h2', { id: 'drill-plan-title', text: t('drill.plan') })), form));
}

// ---- one drill -------------------------------------------------------------------

function metaRow(label, value) {
    return [h('dt', { text: label }), h('dd', {}, value)];
}

async function renderDrill(ctx, id) {
    ctx.root.append(loading());
    const [d, plan] = await Promise.all([api('GET', `/api/v1/drills/${encodeURIComponent(id)}`), currentPlan().catch(() => null)]);
    const inc = d.incident_id ? await api('GET', `/api/v1/incidents/${d.incident_id}`).catch(() => null) : null;
    if (!ctx.alive())
        return;
    const content = contentOf(plan);
    const incRef = inc ? inc.number : d.incident_id;
    setTitle(d.title);

    const start = d.started_at ? new Date(d.started_at).getTime() : new Date(d.scheduled_at).getTime();
    const injects = [...(d.injects || [])].sort((a, b) => a.at_min - b.at_min);
    const rows = [
        metaRow(t('drill.f.kind'), kindTag(d.kind)),
        metaRow(t('drill.f.category'), categoryName(content, d.category)),
        metaRow(t('drill.f.level'), d.level ? levelBadge(content, d.level) : '—'),
        metaRow(t('drill.f.at'), timeEl(d.scheduled_at)),
        metaRow(t('drill.length'), fmtMinutes(d.minutes)),
        metaRow(t('drill.f.location'), d.location || '—'),
    ];
    for (const k of ['started_at', 'completed_at', 'evaluated_at'])
        if (d[k])
            rows.push(...metaRow(t(`drill.${k}`), timeEl(d[k])));

    const main = h('div', { class: 'room-main' },
        h('section', { class: 'card', 'aria-labelledby': 'drill-scenario-title' },
            h('h2', { id: 'drill-scenario-title', text: t('drill.scenario') }),
            d.scenario ? h('div', { class: 'prewrap', testid: 'drill-scenario', text: d.scenario }) : emptyState(t('drill.none_given')),
            h('h3', { text: t('drill.injects') }),
            injects.length
                ? h('ol', { class: 'timeline', testid: 'drill-injects' }, injects.map((x) => h('li', { class: 'tl-entry', dataset: { at: x.at_min, delivered: x.delivered_at ? 'true' : 'false' } },
                    h('div', { class: 'tl-head' }, h('strong', { text: t('drill.inject_at', { m: x.at_min }) }),
                        timeEl(new Date(start + x.at_min * 60000).toISOString(), 'datetime', { class: 'tl-time' }),
                        d.status === 'running' || x.delivered_at
                            ? h('span', { class: ['small', x.delivered_at ? 'drill-inject-sent' : 'muted'], testid: 'drill-inject-state' },
                                x.delivered_at ? t('drillx.delivered') : t('drillx.pending'))
                            : null),
                    h('div', { class: 'tl-text', text: x.text }))))
                : emptyState(t('drill.none_given'))));
    if (d.evaluation)
        main.append(evaluationCard(content, d, incRef));
    else if (d.status === 'completed' && can('drill.manage'))
        main.append(evaluateForm(ctx, content, d));

    ctx.root.replaceChildren(
        h('nav', { class: 'crumbs', 'aria-label': t('crumbs') },
            h('a', { href: '#/drills', text: t('nav.drills') }), ' / ', h('span', { text: d.title })),
        h('section', { class: 'card inc-head', testid: 'drill-head' },
            h('div', { class: 'inc-head-line' }, drillStatusBadge(d.status, 'drill-status'), kindTag(d.kind)),
            h('h1', { testid: 'drill-title', text: d.title }),
            h('p', { class: 'muted' }, categoryName(content, d.category), ' · ', t('drill.scheduled'), ' ', timeEl(d.scheduled_at))),
        h('div', { class: 'room-grid' }, main,
            h('div', { class: 'room-side' },
                stepsCard(ctx, d, inc),
                h('section', { class: 'card', 'aria-labelledby': 'drill-details-title' },
                    h('h2', { id: 'drill-details-title', text: t('drill.details') }), h('dl', { class: 'meta' }, rows)),
                h('section', { class: 'card', 'aria-labelledby': 'drill-people-title' },
                    h('h2', { id: 'drill-people-title', text: t('drill.participants') }),
                    (d.participants || []).length
                        ? h('ul', { class: 'duties', testid: 'drill-participants' }, d.participants.map((p) => h('li', { text: p })))
                        : emptyState(t('drill.none_given'))))));
}

function stepsCard(ctx, d, inc) {
    // The drill incident's status follows the live stream.
    const incStatus = h('span', {}, inc ? statusBadge(inc.status, 'drill-incident-status') : null);
    ctx.onCleanup(subscribe((kind, data) => {
        if (kind === 'incident' && data && data.id === d.incident_id)
            replace(incStatus, statusBadge(data.status, 'drill-incident-status'));
    }));
    const slot = h('div', { class: 'slot' });
    const extra = h('div', { class: 'slot' });
    const step = (button, s) => busy(button, async () => {
        slot.replaceChildren();
        try {
            await api('POST', `/api/v1/drills/${d.id}/${s}`, {});
            toast(t(`drill.done.${s}`));
            ctx.rerender();
        } catch (e) {
            slot.append(errorBox(e, 'drill-step-error'));
        }
    });
    const buttons = (can('drill.manage') ? STEPS[d.status] || [] : []).map((s) => {
        const b = h('button', { type: 'button', class: ['action', s === 'cancel' ? 'secondary' : 'primary'], testid: `drill-${s}`, text: t(`drill.${s}`) });
        if (s !== 'cancel') {
            b.addEventListener('click', () => step(b, s));
            return b;
        }
        b.setAttribute('aria-expanded', 'false');
        b.addEventListener('click', () => {
            const open = !extra.firstChild;
            b.setAttribute('aria-expanded', String(open));
            if (!open) {
                replace(extra);
                return;
            }
            const ok = h('button', { type: 'button', class: 'danger small', testid: 'drill-cancel-confirm', text: t('drill.cancel.confirm') });
            ok.addEventListener('click', () => step(ok, 'cancel'));
            replace(extra, h('p', {}, ok));
            ok.focus();
        });
        return b;
    });
    const link = d.incident_id
        ? h('p', {}, h('a', { href: `#/incidents/${encodeURIComponent(inc ? inc.number : d.incident_id)}`, testid: 'drill-incident',
            class: 'inc-number', text: inc ? inc.number : t('drill.incident') }), ' ',
        inc ? incStatus : null, inc ? h('span', { text: ` ${inc.title}` }) : null)
        : h('p', { class: 'muted small', text: t('drill.incident.none') });
    return h('section', { class: 'card', testid: 'drill-steps', 'aria-labelledby': 'drill-steps-title' },
        h('h2', { id: 'drill-steps-title', text: t('drill.incident') }), link,
        d.status === 'running' && buttons.length ? h('p', { class: 'muted small', text: t('drill.complete.hint') }) : null,
        buttons.length ? h('div', { class: 'action-bar', role: 'group', 'aria-label': t('drill.actions') }, buttons) : null,
        extra, slot);
}

// ---- evaluation ---------------------------------------------------------------------

function scoreRow(criterion = '', max = 10) {
    const c = h('input', { maxlength: 60, testid: 'drill-score-criterion', value: criterion });
    const s = h('input', { type: 'number', min: 0, max, step: 1, testid: 'drill-score-value', class: 'num' });
    const m = h('input', { type: 'number', min: 1, max: 1000, step: 1, testid: 'drill-score-max', class: 'num', value: String(max) });
    m.addEventListener('input', () => {
        s.max = m.value;
    });
    const remove = h('button', { type: 'button', class: 'link-button small', text: t('remove') });
    const li = h('li', { class: 'item-row row-fields', testid: 'drill-score-row' },
        field(t('eval.criterion'), c), field(t('eval.score'), s), field(t('eval.max'), m), remove);
    remove.addEventListener('click', () => li.remove());
    return li;
}

function findingRow(content) {
    const title = h('input', { maxlength: 500, testid: 'drill-finding-title' });
    const group = select([{ value: '', label: t('review.no_group') },
        ...(content.groups || []).map((g) => ({ value: g.key, label: tx(g.name) }))], { testid: 'drill-finding-group' });
    const plan = h('input', { type: 'checkbox', testid: 'drill-finding-plan' });
    const remove = h('button', { type: 'button', class: 'link-button small', text: t('remove') });
    const li = h('li', { class: 'item-row row-fields', testid: 'drill-finding-row' },
        field(t('eval.finding'), title), field(t('review.item.group'), group),
        checkField(t('review.item.plan'), plan), remove);
    remove.addEventListener('click', () => li.remove());
    return li;
}

function evaluateForm(ctx, content, d) {
    const scores = h('ol', { class: 'items', testid: 'drill-scores' },
        ['eval.c1', 'eval.c2', 'eval.c3'].map((k) => scoreRow(t(k), 10)));
    const addScore = h('button', { type: 'button', class: 'secondary small', testid: 'drill-score-add', text: t('eval.add_score') });
    addScore.addEventListener('click', () => {
        scores.append(scoreRow());
        scores.lastElementChild.querySelector('input').focus();
    });
    const findings = h('ol', { class: 'items', testid: 'drill-findings-edit' });
    const addFinding = h('button', { type: 'button', class: 'secondary small', testid: 'drill-finding-add', text: t('eval.add_finding') });
    addFinding.addEventListener('click', () => {
        findings.append(findingRow(content));
        findings.lastElementChild.querySelector('input').focus();
    });
    const notes = h('textarea', { rows: 3, testid: 'drill-eval-notes', name: 'notes' });
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'drill-eval-submit', text: t('eval.submit') });
    const form = h('form', { class: 'stack', novalidate: true, testid: 'drill-eval-form' },
        h('fieldset', { class: 'items-box' }, h('legend', { text: t('eval.scores') }), scores, addScore),
        h('fieldset', { class: 'items-box' }, h('legend', { text: t('eval.findings') }),
            h('p', { class: 'hint', text: t('eval.findings.hint') }), findings, addFinding),
        field(t('eval.notes'), notes, { optional: t('optional') }), slot,
        h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.replaceChildren();
        const body = { scores: [], findings: [] };
        for (const row of scores.children) {
            const get = (id) => row.querySelector(`[data-testid="${id}"]`);
            const criterion = get('drill-score-criterion').value.trim();
            const score = get('drill-score-value').value;
            const max = Number(get('drill-score-max').value);
            if (!criterion && score === '')
                continue;
            if (!criterion || score === '' || !Number.isInteger(Number(score)) || Number(score) < 0 ||
                !Number.isInteger(max) || max < 1 || Number(score) > max) {
                slot.append(errorBox({ message: t('eval.need_scores') }, 'drill-eval-error'));
                get(criterion ? 'drill-score-value' : 'drill-score-criterion').focus();
                return;
            }
            body.scores.push({ criterion, score: Number(score), max });
        }
        if (!body.scores.length) {
            slot.append(errorBox({ message: t('eval.need_scores') }, 'drill-eval-error'));
            return;
        }
        for (const row of findings.children) {
            const title = row.querySelector('[data-testid="drill-finding-title"]').value.trim();
            if (!title)
                continue;
            const f = { title, revise_plan: row.querySelector('[data-testid="drill-finding-plan"]').checked };
            const g = row.querySelector('[data-testid="drill-finding-group"]').value;
            if (g)
                f.group = g;
            body.findings.push(f);
        }
        if (notes.value.trim())
            body.notes = notes.value.trim();
        await busy(submit, async () => {
            try {
                await api('POST', `/api/v1/drills/${d.id}/evaluate`, body);
                toast(t('drill.done.evaluate'));
                ctx.rerender();
            } catch (e) {
                slot.append(errorBox(e, 'drill-eval-error'));
            }
        });
    });
    return h('section', { class: 'card', testid: 'drill-evaluate', 'aria-labelledby': 'drill-eval-title' },
        h('h2', { id: 'drill-eval-title', text: t('eval.title') }), form);
}

function durationText(ms) {
    return ms === null || ms === undefined ? '—' : fmtDuration(ms);
}

function evaluationCard(content, d, incRef) {
    const ev = d.evaluation;
    const taskHref = (f) => `#/incidents/${encodeURIComponent(incRef)}${qs({ task: f.task_id })}`;
    return h('section', { class: 'card', testid: 'drill-evaluation', 'aria-labelledby': 'drill-ev-title' },
        h('h2', { id: 'drill-ev-title', text: t('eval.title') }),
        h('p', { class: 'score-line' },
            h('strong', { testid: 'drill-eval-percent', dataset: { percent: ev.percent }, text: `${ev.percent}%` }), ' ',
            h('span', { class: 'muted', text: t('eval.total', { total: ev.total, max: ev.max }) }),
            ev.plan_revision ? h('span', { class: 'badge plan-rev', testid: 'drill-eval-revise', text: t('eval.plan_revision') }) : null),
        h('meter', { min: 0, max: 100, low: 60, high: 80, optimum: 100, value: ev.percent, 'aria-label': t('eval.percent') }),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'drill-scores-table' },
            h('thead', {}, h('tr', {}, ['eval.criterion', 'eval.score'].map((k) => h('th', { scope: 'col', text: t(k) })))),
            h('tbody', {}, (ev.scores || []).map((s) => h('tr', {}, h('td', { text: s.criterion }), h('td', { text: `${s.score}/${s.max}` })))))),
        h('h3', { text: t('eval.durations') }),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'drill-durations' },
            h('thead', {}, h('tr', {}, ['eval.step', 'eval.took', 'eval.target', 'eval.verdict'].map((k) => h('th', { scope: 'col', text: t(k) })))),
            h('tbody', {}, (ev.durations || []).map((x) => h('tr', { class: x.verdict === 'missed' ? 'late' : '', dataset: { step: x.step, verdict: x.verdict } },
                h('td', { text: t(`eval.step.${x.step}`) }),
                h('td', { class: 'nowrap', text: durationText(x.ms) }),
                h('td', { class: 'nowrap', text: x.target_ms ? fmtMinutes(Math.round(x.target_ms / 60000)) : '—' }),
                h('td', {}, h('span', { class: ['badge', `verdict-${x.verdict}`], text: t(`verdict.${x.verdict}`) }))))))),
        h('h3', { text: t('eval.findings') }),
        (ev.findings || []).length
            ? h('ul', { class: 'mini-list', testid: 'drill-findings' }, ev.findings.map((f) => h('li', { testid: 'drill-finding', dataset: { taskId: f.task_id } },
                h('span', { text: f.title }),
                f.group ? h('span', { class: 'muted', text: ` → ${groupName(content, f.group)}` }) : null,
                f.revise_plan ? h('span', { class: 'badge plan-rev', text: t('review.item.plan') }) : null, ' ',
                f.task_id && incRef ? h('a', { href: taskHref(f), testid: 'drill-finding-task', text: t('eval.task', { id: f.task_id }) }) : null)))
            : emptyState(t('eval.no_findings')),
        ev.notes ? [h('h3', { text: t('eval.notes') }), h('div', { class: 'prewrap', testid: 'drill-eval-notes-view', text: ev.notes })] : null);
}
