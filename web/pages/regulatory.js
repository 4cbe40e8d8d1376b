// #/regulatory?year=YYYY: the record of the reporting duty to the
// regulator (GET /api/v1/regulatory): every obligation of the year with
// its deadline, when the first report went, on time or late by how much,
// the follow-ups and the final report; the on-time rate (drills listed,
// marked and left out), the CSV, and the emergency pack to download.

import { api, qs } from '../lib/api.js';
import { h, replace, field, select } from '../lib/dom.js';
import { t, addTexts } from '../lib/i18n.js';
import { timeEl, fmtMinutes } from '../lib/time.js';
import { errorBox, emptyState, loading, setTitle, drillTag } from '../lib/ui.js';
import { label, regulatoryBadge } from '../lib/regulatory.js';

addTexts({
    'zh-CN': {
        'regr.title': '监管报告记录',
        'regr.sub': '每一起较大（Ⅲ级）及以上事件的报告义务：截止时间、首报时间、是否按时、续报和总结报告。演练单独标出，不计入按时率。',
        'regr.year': '年度',
        'regr.csv': '导出 CSV',
        'regr.csv.title': '本年度的报告义务（CSV）',
        'regr.pack': '下载应急包',
        'regr.pack.title': '现行预案、通讯录、呼叫树、值班表、监管部门联系方式等，供系统不可用时使用（zip）',
        'regr.obligations': '报告义务',
        'regr.on_time': '按时',
        'regr.late': '逾期',
        'regr.due': '待报',
        'regr.rate': '按时率',
        'regr.rate.none': '—',
        'regr.none': '这一年没有需要向监管报告的事件。',
        'regr.col.national': '国家级别',
        'regr.col.deadline': '首报截止',
        'regr.col.first': '首报时间',
        'regr.col.timeliness': '是否按时',
        'regr.col.follow_ups': '续报',
        'regr.col.final': '总结报告',
        'regr.timely': '按时',
        'regr.late_by': '逾期 {d}',
        'regr.final.sent': '已报 ',
        'regr.final.due': '应于 ',
        'regr.final.none': '事件结束后确定',
        'regr.follow_ups': '{n} 份',
        'regr.drills_excluded': '演练不计入按时率。',
        'regr.minutes': '{n} 分钟',
    },
    en: {
        'regr.title': 'Regulatory reporting record',
        'regr.sub': 'Every obligation to report an incident of national level III (较大) or above: the deadline, when the first report went, whether on time, the follow-ups and the final report. Drills are marked and left out of the on-time rate.',
        'regr.year': 'Year',
        'regr.csv': 'Export CSV',
        'regr.csv.title': 'The year\'s obligations as CSV',
        'regr.pack': 'Download the emergency pack',
        'regr.pack.title': 'The plan in force, contacts, call tree, duty roster, the regulators\' contacts and more, for when the systems are down (zip)',
        'regr.obligations': 'Obligations',
        'regr.on_time': 'On time',
        'regr.late': 'Late',
        'regr.due': 'Due',
        'regr.rate': 'On-time rate',
        'regr.rate.none': '—',
        'regr.none': 'No incident had to be reported to the regulator this year.',
        'regr.col.national': 'National level',
        'regr.col.deadline': 'First report due',
        'regr.col.first': 'First report sent',
        'regr.col.timeliness': 'On time?',
        'regr.col.follow_ups': 'Follow-ups',
        'regr.col.final': 'Final report',
        'regr.timely': 'on time',
        'regr.late_by': 'late by {d}',
        'regr.final.sent': 'sent ',
        'regr.final.due': 'due ',
        'regr.final.none': 'set when the incident ends',
        'regr.follow_ups': '{n}',
        'regr.drills_excluded': 'Drills are left out of the on-time rate.',
        'regr.minutes': '{n} min',
    },
});

function minutesText(min) {
    return min < 60 ? t('regr.minutes', { n: min }) : fmtMinutes(min);
}

/** The rate as a percentage: the API's fraction (0..1) or percentage. */
function rateText(rate) {
    if (rate === null || rate === undefined || Number.isNaN(Number(rate)))
        return t('regr.rate.none');
    const r = Number(rate);
    const pct = r <= 1 ? r * 100 : r;
    return `${Math.round(pct * 10) / 10}%`;
}

function metaRow(lab, value, testid) {
    return [h('dt', { text: lab }), h('dd', { testid }, value)];
}

function timeliness(o) {
    if (o.status === 'reported' || o.first_report_at && !o.late_by_min && o.status !== 'late')
        return h('span', { class: 'badge verdict-met', testid: 'reg-timeliness', dataset: { state: 'on_time' }, text: t('regr.timely') });
    if (o.status === 'late')
        return h('span', { class: 'badge verdict-missed', testid: 'reg-timeliness', dataset: { state: 'late' },
            text: t('regr.late_by', { d: minutesText(o.late_by_min || 0) }) });
    // due, or closed: the obligation's own state, live.
    return regulatoryBadge({ regulatory: { ...o, required: true, drill: false } }, 'reg-timeliness');
}

function obligationItem(o) {
    const inc = o.incident || {};
    const late = o.status === 'late';
    return h('li', {
        class: [late ? 'late' : '', o.status === 'reported' ? 'ok' : ''], testid: 'reg-obligation',
        dataset: { number: inc.number, status: o.status, drill: inc.drill ? '1' : '0' },
    },
    h('div', {},
        h('a', { href: `#/incidents/${encodeURIComponent(inc.number)}`, class: 'inc-number', text: inc.number }), ' ',
        h('a', { href: `#/incidents/${encodeURIComponent(inc.number)}`, class: 'plain', testid: 'reg-obligation-title', text: inc.title || '' }),
        inc.drill ? [' ', drillTag()] : null),
    h('dl', { class: 'meta' },
        metaRow(t('regr.col.national'), label('reg.national', o.national_level)),
        metaRow(t('regr.col.deadline'), timeEl(o.deadline_at)),
        metaRow(t('regr.col.first'), timeEl(o.first_report_at)),
        metaRow(t('regr.col.timeliness'), timeliness(o)),
        metaRow(t('regr.col.follow_ups'), t('regr.follow_ups', { n: o.follow_ups || 0 }), 'reg-follow-ups'),
        metaRow(t('regr.col.final'), o.final_report_at ? [t('regr.final.sent'), timeEl(o.final_report_at)]
            : o.final_due_at ? [t('regr.final.due'), timeEl(o.final_due_at)] : h('span', { class: 'muted', text: t('regr.final.none') }))));
}

export async function render(ctx) {
    setTitle(t('regr.title'));
    const thisYear = new Date().getFullYear();
    const asked = Number(ctx.query.get('year'));
    const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : thisYear;
    const years = [];
    for (let y = Math.max(thisYear, year); y >= Math.min(thisYear - 4, year); y--)
        years.push({ value: String(y), label: String(y) });
    const yearSel = select(years, { testid: 'reg-year', name: 'year', value: String(year) });
    yearSel.addEventListener('change', () => ctx.navigate(`#/regulatory${qs({ year: yearSel.value })}`));

    const summarySlot = h('div', { class: 'slot' });
    const listSlot = h('div', { class: 'slot' }, loading());
    ctx.root.append(
        h('div', { class: 'page-head' },
            h('div', {}, h('h1', { text: t('regr.title') }), h('p', { class: 'muted', text: t('regr.sub') })),
            h('div', { class: 'reg-year-links' },
                field(t('regr.year'), yearSel),
                h('a', { href: `/api/v1/regulatory.csv${qs({ year })}`, class: 'button secondary', download: `regulatory-${year}.csv`,
                    testid: 'reg-csv', title: t('regr.csv.title'), text: t('regr.csv') }),
                h('a', { href: '/api/v1/pack', class: 'button secondary', download: 'erms-pack.zip',
                    testid: 'reg-pack', title: t('regr.pack.title'), text: t('regr.pack') }))),
        h('section', { class: 'card', testid: 'reg-summary', 'aria-labelledby': 'reg-sum-title' },
            h('h2', { id: 'reg-sum-title', class: 'sr-only', text: t('regr.rate') }), summarySlot),
        h('section', { class: 'card', testid: 'reg-list', 'aria-labelledby': 'reg-list-title' },
            h('h2', { id: 'reg-list-title', text: t('regr.obligations') }), listSlot));

    let r;
    try {
        r = await api('GET', `/api/v1/regulatory${qs({ year })}`);
    } catch (e) {
        if (ctx.alive())
            replace(listSlot, errorBox(e));
        return;
    }
    if (!ctx.alive())
        return;
    const s = r.summary || {};
    const stat = (key, value, testid, cls) => h('div', { class: ['stat', cls], testid },
        h('div', { class: 'muted small', text: t(key) }), h('div', { class: 'stat-value', text: String(value) }));
    replace(summarySlot,
        h('div', { class: 'stats' },
            stat('regr.rate', rateText(s.on_time_rate), 'reg-rate'),
            stat('regr.obligations', s.obligations || 0, 'reg-count'),
            stat('regr.on_time', s.on_time || 0, 'reg-on-time'),
            stat('regr.late', s.late || 0, 'reg-late', s.late ? 'over' : ''),
            stat('regr.due', s.due || 0, 'reg-due')),
        h('p', { class: 'muted small', text: t('regr.drills_excluded') }));
    const items = r.items || [];
    replace(listSlot, items.length
        ? h('ul', { class: 'reg-record', testid: 'reg-obligations' }, items.map(obligationItem))
        : emptyState(t('regr.none'), 'reg-empty'));
}
