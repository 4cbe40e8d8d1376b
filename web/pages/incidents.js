// #/incidents?status=&level=&category=&is_drill=&q= : the incident list
// with filters, search (Chinese too) and cursor pagination.

import { api, qs } from '../lib/api.js';
import { h, replace, field, select } from '../lib/dom.js';
import { t, tx, getLang, addTexts } from '../lib/i18n.js';
import { currentPlan, contentOf, categoryTree, sortedLevels, categoryName } from '../lib/plan.js';
import { timeEl } from '../lib/time.js';
import { regulatoryBadge } from '../lib/regulatory.js';
import { STATUSES, isOpen, statusBadge, levelBadge, drillTag, sourceBadge, errorBox, emptyState, loading, setTitle, busy } from '../lib/ui.js';

const FILTERS = ['status', 'level', 'category', 'is_drill', 'q'];

addTexts({
    'zh-CN': { 'incidents.csv': '导出 CSV', 'incidents.csv.title': '按当前筛选条件导出事件列表（CSV，本地时间）' },
    en: { 'incidents.csv': 'Export CSV', 'incidents.csv.title': 'The incident list with the current filters, as CSV (local time)' },
});

export async function render(ctx) {
    setTitle(t('nav.incidents'));
    const plan = await currentPlan().catch(() => null);
    if (!ctx.alive())
        return;
    const content = contentOf(plan);
    const q = ctx.query;

    const status = select([{ value: '', label: t('filter.all') },
        ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))],
    { testid: 'incidents-filter-status', name: 'status', value: q.get('status') || '' });
    const level = select([{ value: '', label: t('filter.all') },
        ...sortedLevels(content).map((l) => ({ value: l.key, label: tx(l.name) }))],
    { testid: 'incidents-filter-level', name: 'level', value: q.get('level') || '' });
    const category = select([{ value: '', label: t('filter.all') },
        ...categoryTree(content).map(({ cat, depth }) => ({ value: cat.key, label: `${'\u3000'.repeat(depth)}${tx(cat.name)}` }))],
    { testid: 'incidents-filter-category', name: 'category', value: q.get('category') || '' });
    const drill = select([{ value: '', label: t('filter.all') }, { value: 'false', label: t('filter.real') },
        { value: 'true', label: t('filter.drills') }],
    { testid: 'incidents-filter-drill', name: 'is_drill', value: q.get('is_drill') || '' });
    const search = h('input', {
        type: 'search', name: 'q', testid: 'incidents-q', value: q.get('q') || '',
        placeholder: t('incidents.q.placeholder'), maxlength: 200,
    });
    const apply = h('button', { type: 'submit', class: 'primary', testid: 'incidents-search', text: t('incidents.search') });
    const reset = h('a', { href: '#/incidents', class: 'button secondary', testid: 'incidents-reset', text: t('filter.reset') });

    const form = h('form', { class: 'filters', role: 'search', novalidate: true, testid: 'incidents-filters' },
        field(t('incidents.q'), search, { class: 'grow' }),
        field(t('filter.status'), status), field(t('filter.level'), level),
        field(t('filter.category'), category), field(t('filter.drill'), drill),
        h('div', { class: 'filter-actions' }, apply, reset));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const params = {};
        for (const [k, el] of [['status', status], ['level', level], ['category', category], ['is_drill', drill], ['q', search]])
            if (el.value.trim())
                params[k] = el.value.trim();
        ctx.navigate(`#/incidents${qs(params)}`);
    });
    for (const s of [status, level, category, drill])
        s.addEventListener('change', () => form.requestSubmit());

    const tbody = h('tbody', {});
    const table = h('div', { class: 'table-wrap' }, h('table', { class: 'data incidents cards', testid: 'incidents-table' },
        h('caption', { class: 'sr-only', text: t('nav.incidents') }),
        h('thead', {}, h('tr', {},
            ['incidents.col.number', 'incidents.col.title', 'incidents.col.status', 'incidents.col.level',
                'incidents.col.category', 'incidents.col.reported'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        tbody));
    const status_line = h('p', { class: 'muted small', role: 'status', testid: 'incidents-count' });
    const moreSlot = h('div', { class: 'more' });
    const errSlot = h('div', { class: 'slot' });

    const csvParams = { lang: getLang() };
    for (const k of FILTERS)
        if (q.get(k))
            csvParams[k] = q.get(k);
    ctx.root.append(
        h('div', { class: 'page-head' }, h('h1', { text: t('nav.incidents') }),
            h('div', { class: 'head-tools' },
                h('a', {
                    href: `/api/v1/incidents.csv${qs(csvParams)}`, class: 'button secondary', download: 'incidents.csv',
                    testid: 'incidents-csv', title: t('incidents.csv.title'), text: t('incidents.csv'),
                }),
                h('a', { href: '#/report', class: 'button primary', text: t('nav.report') }))),
        h('section', { class: 'card' }, form),
        h('section', { class: 'card' }, status_line, errSlot, table, moreSlot));

    const params = {};
    for (const k of FILTERS)
        if (q.get(k))
            params[k] = q.get(k);
    let shown = 0;

    function row(inc) {
        return h('tr', { testid: 'incident-row', dataset: { number: inc.number, status: inc.status }, class: isOpen(inc) && inc.breaches && inc.breaches.length ? 'late' : '' },
            h('td', { class: 'nowrap card-number' }, h('a', { href: `#/incidents/${encodeURIComponent(inc.number)}`, text: inc.number })),
            h('td', { class: 'card-title' }, h('a', { href: `#/incidents/${encodeURIComponent(inc.number)}`, class: 'plain', text: inc.title }),
                inc.is_drill ? [' ', drillTag()] : null,
                inc.source && inc.source !== 'manual' ? [' ', sourceBadge(inc)] : null,
                inc.regulatory && inc.regulatory.required ? h('div', { class: 'inc-reg' }, regulatoryBadge(inc, 'incident-row-reg')) : null),
            h('td', { dataset: { label: t('incidents.col.status') } }, statusBadge(inc.status)),
            h('td', { dataset: { label: t('incidents.col.level') } }, levelBadge(content, inc.level)),
            h('td', { dataset: { label: t('incidents.col.category') }, text: categoryName(content, inc.category) }),
            h('td', { class: 'nowrap', dataset: { label: t('incidents.col.reported') } }, timeEl(inc.reported_at)));
    }

    async function load(cursor, button) {
        const page = await api('GET', `/api/v1/incidents${qs({ ...params, limit: 50, cursor })}`);
        if (!ctx.alive())
            return;
        for (const inc of page.items)
            tbody.append(row(inc));
        shown += page.items.length;
        status_line.textContent = shown ? t('incidents.shown', { n: shown }) : '';
        if (!shown)
            replace(errSlot, emptyState(params.q || Object.keys(params).length ? t('incidents.none_match') : t('incidents.none'), 'incidents-empty'));
        replace(moreSlot);
        if (page.next_cursor) {
            const more = h('button', { type: 'button', class: 'secondary', testid: 'incidents-more', text: t('more') });
            more.addEventListener('click', () => busy(more, () => load(page.next_cursor, more).catch((e) => replace(errSlot, errorBox(e)))));
            moreSlot.append(more);
            if (button && document.activeElement === document.body)
                more.focus();
        }
    }
    replace(errSlot, loading());
    try {
        await load(null);
        if (shown)
            replace(errSlot);
    } catch (e) {
        replace(errSlot, errorBox(e));
    }
}
