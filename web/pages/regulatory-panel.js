// The command room's regulatory panel: the obligation to report the
// incident to the regulator (national level, operator type, deadline with
// a live countdown, status, the final report's due date), the reports
// recorded with their documents, and, for command HQ, the leadership and
// administrators, the form that records one: its content pre-filled from
// the incident (GET …/regulatory-reports/draft) in the order of
// 《国家网络安全事件报告管理办法》, editable before it is recorded.

import { api, qs } from '../lib/api.js';
import { h, replace, field, select, fieldError } from '../lib/dom.js';
import { t, addTexts } from '../lib/i18n.js';
import { timeEl, localInputToIso, nowLocalInput } from '../lib/time.js';
import { errorBox, emptyState, loading, toast, busy, drillTag } from '../lib/ui.js';
import {
    REPORT_KINDS, VIAS, label, mayRecordReports, regulatoryBadge, regulatoryCountdown,
} from '../lib/regulatory.js';

addTexts({
    'zh-CN': {
        'regp.title': '向监管报告',
        'regp.hint': '按《国家网络安全事件报告管理办法》，较大（Ⅲ级）及以上事件须在时限内向监管部门报告。erms 不代为报送：报送后请在此记录。',
        'regp.national_level': '国家事件级别',
        'regp.operator_type': '运营者类型',
        'regp.deadline': '首报截止',
        'regp.countdown': '倒计时',
        'regp.status': '状态',
        'regp.first_report_at': '首报时间',
        'regp.final_due_at': '总结报告截止',
        'regp.final_report_at': '总结报告时间',
        'regp.drill': '演练：计时照常，不计入按时率。',
        'regp.reports': '已记录的报告',
        'regp.no_reports': '尚未记录报告。',
        'regp.to': '报送对象',
        'regp.via': '报送方式',
        'regp.sent_at': '报送时间',
        'regp.by': '记录人',
        'regp.on_time': '按时',
        'regp.late': '逾期',
        'regp.changes': '本次更新',
        'regp.html': '报告（HTML）',
        'regp.pdf': '报告（PDF）',
        'regp.record': '记录报告',
        'regp.form.title': '记录一份报告',
        'regp.form.hint': '内容已按事件预先填写，可逐项修改。记录后不可更改；如需更正，请再记录一份续报。',
        'regp.kind': '报告类型',
        'regp.to.other': '其他（手动填写）',
        'regp.to.text': '报送对象名称',
        'regp.content': '报告内容',
        'regp.draft_loading': '正在生成报告内容…',
        'regp.submit': '记录报告',
        'regp.recorded': '报告已记录：{number}',
    },
    en: {
        'regp.title': 'Reporting to the regulator',
        'regp.hint': 'Under the 2025 Measures on cybersecurity incident reporting, an incident of national level III (较大) or above must be reported to the regulator in time. erms does not submit it: record each report here once it is sent.',
        'regp.national_level': 'National level',
        'regp.operator_type': 'Operator type',
        'regp.deadline': 'First report due',
        'regp.countdown': 'Countdown',
        'regp.status': 'Status',
        'regp.first_report_at': 'First report sent',
        'regp.final_due_at': 'Final report due',
        'regp.final_report_at': 'Final report sent',
        'regp.drill': 'A drill: the clock runs, the on-time rate leaves it out.',
        'regp.reports': 'Reports recorded',
        'regp.no_reports': 'No report recorded yet.',
        'regp.to': 'To',
        'regp.via': 'Via',
        'regp.sent_at': 'Sent at',
        'regp.by': 'Recorded by',
        'regp.on_time': 'on time',
        'regp.late': 'late',
        'regp.changes': 'Changed',
        'regp.html': 'Report (HTML)',
        'regp.pdf': 'Report (PDF)',
        'regp.record': 'Record a report',
        'regp.form.title': 'Record a report',
        'regp.form.hint': 'The content is pre-filled from the incident; edit any item. A recorded report cannot be changed: a correction is a new follow-up.',
        'regp.kind': 'Kind',
        'regp.to.other': 'Other (type it)',
        'regp.to.text': 'Recipient',
        'regp.content': 'Content',
        'regp.draft_loading': 'Preparing the content…',
        'regp.submit': 'Record report',
        'regp.recorded': 'Report recorded: {number}',
    },
});

const OTHER = '\u0000other';

function metaRow(lab, value, testid) {
    return [h('dt', { text: lab }), h('dd', { testid }, value)];
}

function base(inc) {
    return `/api/v1/incidents/${encodeURIComponent(inc.number)}/regulatory-reports`;
}

/** The kind a new report most likely is. */
function defaultKind(inc) {
    const reg = inc.regulatory || {};
    if (!reg.first_report_at && !(reg.reports || []).some((r) => r.kind === 'first'))
        return 'first';
    if (inc.resolved_at && !reg.final_report_at)
        return 'final';
    return 'follow_up';
}

function reportItem(inc, r) {
    const url = `${base(inc)}/${r.n}`;
    return h('li', { testid: 'reg-report', dataset: { n: r.n, kind: r.kind } },
        h('div', {},
            h('strong', { testid: 'reg-report-number', text: r.number || `#${r.n}` }), ' ',
            h('span', { class: 'badge kind-tag', testid: 'reg-report-kind', text: label('reg.kind', r.kind) }), ' ',
            r.on_time === true ? h('span', { class: 'badge verdict-met', text: t('regp.on_time') }) : null,
            r.on_time === false ? h('span', { class: 'badge verdict-missed', text: t('regp.late') }) : null,
            r.drill ? [' ', drillTag()] : null),
        h('div', { class: 'small' }, t('regp.to'), ': ', h('span', { testid: 'reg-report-to', text: r.to || '—' }),
            ' · ', t('regp.via'), ': ', label('reg.via', r.via)),
        h('div', { class: 'small' }, t('regp.sent_at'), ' ', timeEl(r.sent_at),
            r.recorded_by ? [' · ', t('regp.by'), ': ', r.recorded_by.name || ''] : null),
        r.changes && r.changes.length
            ? h('div', { class: 'small muted' }, t('regp.changes'), ': ', r.changes.join(t('list.sep'))) : null,
        h('div', { class: 'reg-docs small' },
            h('a', { href: `${url}.html`, target: '_blank', rel: 'noopener', testid: 'reg-report-html', text: t('regp.html') }),
            h('a', { href: `${url}.pdf`, download: `${r.number || `report-${r.n}`}.pdf`, testid: 'reg-report-pdf', text: t('regp.pdf') })));
}

/**
 * The panel: {section, update(inc)}. The section is hidden while the
 * incident has no obligation.
 */
export function regulatoryCard(ctx, incident) {
    let inc = incident;
    let org = null;
    let shownReports = -1;
    let formOpen = false;
    const factsSlot = h('div', { class: 'slot' });
    const reportsSlot = h('div', { class: 'slot' });
    const formSlot = h('div', { class: 'slot' });
    const mayRecord = mayRecordReports();
    const open = mayRecord ? h('button', { type: 'button', class: 'primary', testid: 'reg-record-open', text: t('regp.record') }) : null;
    const section = h('section', { class: 'card reg-panel', testid: 'regulatory-panel', 'aria-labelledby': 'room-reg' },
        h('div', { class: 'card-head' }, h('h2', { id: 'room-reg', text: t('regp.title') })),
        h('p', { class: 'muted small', text: t('regp.hint') }),
        factsSlot,
        h('h3', { text: t('regp.reports') }), reportsSlot,
        open ? h('div', { class: 'actions' }, open) : null,
        formSlot);

    function renderFacts() {
        const reg = inc.regulatory || {};
        section.hidden = !reg.required;
        if (!reg.required)
            return;
        section.classList.toggle('reg-is-late', reg.status === 'late' ||
            reg.status === 'due' && Date.parse(reg.deadline_at) < Date.now());
        const open = reg.status === 'due' || reg.status === 'late' && !reg.first_report_at;
        replace(factsSlot,
            reg.drill ? h('p', { class: 'small' }, drillTag(), ' ', t('regp.drill')) : null,
            h('dl', { class: 'meta', testid: 'reg-facts' },
                metaRow(t('regp.national_level'), label('reg.national', reg.national_level), 'reg-national-level'),
                metaRow(t('regp.operator_type'), label('reg.operator', reg.operator_type), 'reg-operator-type'),
                metaRow(t('regp.deadline'), timeEl(reg.deadline_at, 'datetime', { 'data-testid': 'reg-deadline' })),
                open ? metaRow(t('regp.countdown'), h('span', { class: 'reg-countdown-big' }, regulatoryCountdown(reg))) : null,
                metaRow(t('regp.status'), regulatoryBadge(inc, 'reg-status') || '—'),
                metaRow(t('regp.first_report_at'), timeEl(reg.first_report_at), 'reg-first-report-at'),
                metaRow(t('regp.final_due_at'), timeEl(reg.final_due_at), 'reg-final-due-at'),
                reg.final_report_at ? metaRow(t('regp.final_report_at'), timeEl(reg.final_report_at)) : null));
    }

    async function loadReports() {
        const reg = inc.regulatory || {};
        if (!reg.required)
            return;
        const n = (reg.reports || []).length;
        if (n === shownReports)
            return;
        shownReports = n;
        if (!n) {
            replace(reportsSlot, emptyState(t('regp.no_reports'), 'reg-no-reports'));
            return;
        }
        try {
            const r = await api('GET', base(inc));
            if (ctx.alive())
                replace(reportsSlot, h('ul', { class: 'reg-reports', testid: 'reg-reports' },
                    r.items.map((x) => reportItem(inc, x))));
        } catch (e) {
            shownReports = -1;
            if (ctx.alive())
                replace(reportsSlot, errorBox(e));
        }
    }

    async function loadOrg() {
        if (!org)
            org = await api('GET', '/api/v1/organisation').catch(() => ({ regulators: [] }));
        return org;
    }

    async function openForm() {
        formOpen = true;
        open.hidden = true;
        replace(formSlot, loading());
        const o = await loadOrg();
        if (!ctx.alive())
            return;
        const controls = {};
        const slot = h('div', { class: 'slot' });
        const kind = select(REPORT_KINDS.map((k) => ({ value: k, label: label('reg.kind', k) })),
            { testid: 'reg-kind', name: 'kind', value: defaultKind(inc) });
        const regs = (o.regulators || []).filter((r) => r && r.name);
        const toSel = select([...regs.map((r) => ({ value: r.name, label: r.role ? `${r.name}（${r.role}）` : r.name })),
            { value: OTHER, label: t('regp.to.other') }], { testid: 'reg-to', name: 'to' });
        const toText = h('input', { testid: 'reg-to-text', name: 'to_text', maxlength: 200, autocomplete: 'off' });
        const toTextField = field(t('regp.to.text'), toText);
        const syncTo = () => {
            toTextField.hidden = toSel.value !== OTHER;
        };
        toSel.addEventListener('change', syncTo);
        syncTo();
        const via = select(VIAS.map((v) => ({ value: v, label: label('reg.via', v) })), { testid: 'reg-via', name: 'via' });
        const sentAt = h('input', { type: 'datetime-local', testid: 'reg-sent-at', name: 'sent_at', value: nowLocalInput() });
        Object.assign(controls, { kind, to: toSel, via, sent_at: sentAt });
        const contentBox = h('fieldset', { class: 'stack', testid: 'reg-content' }, h('legend', { text: t('regp.content') }));
        const itemsSlot = h('div', { class: 'stack' });
        contentBox.append(itemsSlot);
        let textareas = new Map();

        async function loadDraft() {
            replace(itemsSlot, h('p', { class: 'loading', role: 'status', text: t('regp.draft_loading') }));
            const edited = new Map();
            for (const [k, ta] of textareas)
                if (ta.dataset.edited === '1')
                    edited.set(k, ta.value);
            try {
                const d = await api('GET', `${base(inc)}/draft${qs({ kind: kind.value })}`);
                if (!ctx.alive())
                    return;
                textareas = new Map();
                const content = d.content || {};
                const items = d.items && d.items.length ? d.items : Object.keys(content).map((key) => ({ key, label: key }));
                replace(itemsSlot, items.map((it) => {
                    const v = edited.has(it.key) ? edited.get(it.key) : content[it.key] == null ? '' : String(content[it.key]);
                    const ta = h('textarea', {
                        rows: Math.min(8, Math.max(2, v.split('\n').length + 1)), name: `content.${it.key}`,
                        testid: `reg-item-${it.key}`, dataset: { key: it.key, edited: edited.has(it.key) ? '1' : '0' },
                    });
                    ta.value = v;
                    ta.addEventListener('input', () => {
                        ta.dataset.edited = '1';
                    });
                    textareas.set(it.key, ta);
                    return field(it.label || it.key, ta);
                }));
            } catch (e) {
                replace(itemsSlot, errorBox(e, 'reg-draft-error'));
            }
        }
        kind.addEventListener('change', loadDraft);

        const submit = h('button', { type: 'submit', class: 'primary', testid: 'reg-submit', text: t('regp.submit') });
        const cancel = h('button', { type: 'button', class: 'secondary', testid: 'reg-cancel', text: t('cancel') });
        cancel.addEventListener('click', () => {
            formOpen = false;
            replace(formSlot);
            open.hidden = false;
            open.focus();
        });
        const form = h('form', { class: 'reg-form stack', novalidate: true, testid: 'reg-form', 'aria-labelledby': 'reg-form-title' },
            h('h3', { id: 'reg-form-title', text: t('regp.form.title') }),
            h('p', { class: 'muted small', text: t('regp.form.hint') }),
            h('div', { class: 'row-fields' }, field(t('regp.kind'), kind), field(t('regp.via'), via),
                field(t('regp.sent_at'), sentAt)),
            h('div', { class: 'row-fields' }, field(t('regp.to'), toSel), toTextField),
            contentBox, slot,
            h('div', { class: 'form-actions' }, submit, cancel));

        function controlOf(name) {
            if (!name)
                return null;
            if (name === 'to')
                return toSel.value === OTHER ? toText : toSel;
            const key = name.replace(/^content[./]/, '');
            return controls[name] || textareas.get(key) || null;
        }

        form.addEventListener('submit', async (ev) => {
            ev.preventDefault();
            slot.replaceChildren();
            for (const c of [kind, toSel, toText, via, sentAt, ...textareas.values()])
                fieldError(c, null);
            const to = toSel.value === OTHER ? toText.value.trim() : toSel.value;
            if (!to) {
                const c = controlOf('to');
                fieldError(c, t('required'));
                c.focus();
                return;
            }
            const sent = localInputToIso(sentAt.value);
            if (sentAt.value && !sent) {
                fieldError(sentAt, t('required'));
                sentAt.focus();
                return;
            }
            const content = {};
            for (const [k, ta] of textareas)
                content[k] = ta.value;
            const body = { kind: kind.value, to, via: via.value, content };
            if (sent)
                body.sent_at = sent;
            await busy(submit, async () => {
                try {
                    const r = await api('POST', base(inc), body);
                    formOpen = false;
                    replace(formSlot);
                    open.hidden = false;
                    toast(t('regp.recorded', { number: r.number || `#${r.n}` }));
                    shownReports = -1;
                    const next = await api('GET', `/api/v1/incidents/${encodeURIComponent(inc.number)}`).catch(() => null);
                    if (next && ctx.alive())
                        update(next);
                    else
                        loadReports();
                } catch (e) {
                    const c = controlOf(e.field);
                    if (c) {
                        fieldError(c, e.message);
                        c.focus();
                    } else {
                        slot.append(errorBox(e, 'reg-error'));
                    }
                }
            });
        });
        replace(formSlot, form);
        kind.focus();
        await loadDraft();
    }

    if (open)
        open.addEventListener('click', () => openForm().catch((e) => replace(formSlot, errorBox(e))));

    function update(next) {
        if (!next || next.id !== inc.id)
            return;
        inc = next;
        renderFacts();
        loadReports();
        if (open && !formOpen)
            open.hidden = false;
    }

    renderFacts();
    loadReports();
    return { section, update };
}
