// #/stats?from=YYYY-MM-DD&to=YYYY-MM-DD: statistics of real incidents
// (drills left out) reported in a period: how many, the mean time to
// acknowledge (MTTA), to activate and to resolve (MTTR) from the report,
// per level and per category (GET /api/v1/stats). Each chart is an SVG
// drawn here, with the same figures in a table beside it.

import { api, qs } from '../lib/api.js';
import { h, replace, field, fieldError } from '../lib/dom.js';
import { t, addTexts } from '../lib/i18n.js';
import { currentPlan, contentOf, levelName, categoryName, sortedLevels } from '../lib/plan.js';
import { fmtMinutes } from '../lib/time.js';
import { errorBox, emptyState, loading, setTitle } from '../lib/ui.js';

addTexts({
    'zh-CN': {
        'stats.title': '事件统计',
        'stats.sub': '所选期间内上报的真实事件（不含演练）：从上报起到确认、启动响应、处置完成的平均用时。',
        'stats.period': '统计期间',
        'stats.from': '开始日期',
        'stats.to': '结束日期（含）',
        'stats.apply': '统计',
        'stats.this_year': '今年',
        'stats.bad_period': '结束日期不能早于开始日期。',
        'stats.count': '事件数',
        'stats.mtta': '平均确认用时（MTTA）',
        'stats.tta': '平均启动用时',
        'stats.mttr': '平均处置用时（MTTR）',
        'stats.short.mtta': '确认',
        'stats.short.tta': '启动',
        'stats.short.mttr': '处置',
        'stats.by_level': '按响应级别',
        'stats.by_category': '按事件类别',
        'stats.col.group': '分组',
        'stats.col.count': '事件数',
        'stats.col.reached': '（{n} 起）',
        'stats.unlevelled': '未定级',
        'stats.none': '这段期间没有上报真实事件。',
        'stats.drills_excluded': '演练事件不计入统计。',
        'stats.chart': '{what}：各组的平均确认、启动和处置用时（分钟）',
        'stats.table': '{what}（表格）',
        'stats.seconds': '{n} 秒',
        'stats.list': '查看这些事件',
    },
    en: {
        'stats.title': 'Incident statistics',
        'stats.sub': 'Real incidents (no drills) reported in the period: the mean time from the report to acknowledgement, to activation and to resolution.',
        'stats.period': 'Period',
        'stats.from': 'From',
        'stats.to': 'To (inclusive)',
        'stats.apply': 'Show',
        'stats.this_year': 'This year',
        'stats.bad_period': 'The end date is before the start date.',
        'stats.count': 'Incidents',
        'stats.mtta': 'Mean time to acknowledge (MTTA)',
        'stats.tta': 'Mean time to activate',
        'stats.mttr': 'Mean time to resolve (MTTR)',
        'stats.short.mtta': 'Acknowledge',
        'stats.short.tta': 'Activate',
        'stats.short.mttr': 'Resolve',
        'stats.by_level': 'By response level',
        'stats.by_category': 'By category',
        'stats.col.group': 'Group',
        'stats.col.count': 'Incidents',
        'stats.col.reached': '({n})',
        'stats.unlevelled': 'Not levelled',
        'stats.none': 'No real incident was reported in this period.',
        'stats.drills_excluded': 'Drill incidents are not counted.',
        'stats.chart': '{what}: mean time to acknowledge, activate and resolve per group (minutes)',
        'stats.table': '{what} (table)',
        'stats.seconds': '{n} s',
        'stats.list': 'See these incidents',
    },
});

const MEASURES = [
    { key: 'mtta_s', n: 'acknowledged', cls: 'bar-mtta', label: 'stats.short.mtta', long: 'stats.mtta' },
    { key: 'time_to_activate_s', n: 'activated', cls: 'bar-tta', label: 'stats.short.tta', long: 'stats.tta' },
    { key: 'mttr_s', n: 'resolved', cls: 'bar-mttr', label: 'stats.short.mttr', long: 'stats.mttr' },
];
const SVG = 'http://www.w3.org/2000/svg';

/** A mean in seconds for a person: "45 秒", "1 h 30 min"; '—' for none. */
export function fmtSpan(s) {
    if (s === null || s === undefined)
        return '—';
    if (s < 60)
        return t('stats.seconds', { n: Math.round(s) });
    return fmtMinutes(Math.round(s / 60));
}

function localDate(d) {
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** "2026-03-01" as the instant its day starts here, RFC 3339; null if not a date. */
function dayStart(value, plusDays = 0) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value || ''))
        return null;
    const d = new Date(`${value}T00:00`);
    if (Number.isNaN(d.getTime()))
        return null;
    d.setDate(d.getDate() + plusDays);
    return d.toISOString();
}

function svg(tag, attrs = {}, ...children) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs))
        el.setAttribute(k, String(v));
    for (const c of children)
        el.append(c);
    return el;
}

/**
 * Horizontal bars, a group per row: its name above three bars (MTTA,
 * activation, MTTR) with their values. The SVG is an image with a text
 * alternative; the table after it carries the figures.
 */
function chart(groups, title, testid) {
    const W = 400;
    const LABEL = 18;
    const BAR = 13;
    const GAP = 3;
    const VALUE_W = 92;
    const rowH = LABEL + MEASURES.length * (BAR + GAP) + 10;
    const max = Math.max(1, ...groups.flatMap((g) => MEASURES.map((m) => g.row[m.key] || 0)));
    const scale = (W - VALUE_W) / max;
    const height = groups.length * rowH + 4;
    const root = svg('svg', {
        class: 'chart', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': title,
        'data-testid': testid, preserveAspectRatio: 'xMinYMin meet',
    }, svg('title', {}, title));
    groups.forEach((g, i) => {
        const y0 = i * rowH;
        const name = svg('text', { x: 0, y: y0 + 13, 'font-weight': 600 });
        name.textContent = `${g.name} · ${t('stats.count')} ${g.row.count}`;
        root.append(name);
        MEASURES.forEach((m, j) => {
            const v = g.row[m.key];
            const y = y0 + LABEL + j * (BAR + GAP);
            const w = v ? Math.max(2, v * scale) : 0;
            root.append(svg('rect', { class: m.cls, x: 0, y, width: w.toFixed(1), height: BAR, rx: 2 }));
            const label = svg('text', { x: (w + 4).toFixed(1), y: y + BAR - 2 });
            label.textContent = `${t(m.label)} ${fmtSpan(v)}`;
            root.append(label);
        });
    });
    return root;
}

function table(groups, caption, testid) {
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data cards', testid },
        h('caption', { class: 'sr-only', text: caption }),
        h('thead', {}, h('tr', {},
            h('th', { scope: 'col', text: t('stats.col.group') }),
            h('th', { scope: 'col', text: t('stats.col.count') }),
            MEASURES.map((m) => h('th', { scope: 'col', text: t(m.long) })))),
        h('tbody', {}, groups.map((g) => h('tr', { testid: `${testid}-row`, dataset: { key: g.key } },
            h('th', { scope: 'row', class: 'card-title', text: g.name }),
            h('td', { class: 'num', dataset: { label: t('stats.col.count') }, text: String(g.row.count) }),
            MEASURES.map((m) => h('td', { class: 'num', dataset: { label: t(m.long), measure: m.key } },
                fmtSpan(g.row[m.key]),
                g.row[m.key] !== null ? h('span', { class: 'muted small', text: ` ${t('stats.col.reached', { n: g.row[m.n] })}` }) : null)))))));
}

function breakdown(what, groups, testid) {
    const title = t('stats.chart', { what });
    return h('section', { class: 'card', testid, 'aria-labelledby': `${testid}-h` },
        h('h2', { id: `${testid}-h`, text: what }),
        h('ul', { class: 'legend', 'aria-hidden': 'true' }, MEASURES.map((m) =>
            h('li', {}, h('span', { class: ['swatch', m.cls] }), t(m.long)))),
        chart(groups, title, `${testid}-chart`),
        table(groups, t('stats.table', { what }), `${testid}-table`));
}

export async function render(ctx) {
    setTitle(t('stats.title'));
    const now = new Date();
    const yearStart = localDate(new Date(now.getFullYear(), 0, 1));
    const fromVal = ctx.query.get('from') || yearStart;
    const toVal = ctx.query.get('to') || localDate(now);

    const from = h('input', { type: 'date', name: 'from', testid: 'stats-from', value: fromVal, required: true });
    const to = h('input', { type: 'date', name: 'to', testid: 'stats-to', value: toVal, required: true });
    const form = h('form', { class: 'period', novalidate: true, testid: 'stats-period', 'aria-label': t('stats.period') },
        field(t('stats.from'), from), field(t('stats.to'), to),
        h('button', { type: 'submit', class: 'primary', testid: 'stats-apply', text: t('stats.apply') }),
        h('a', { href: '#/stats', class: 'button secondary', testid: 'stats-year', text: t('stats.this_year') }));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        fieldError(to, null);
        if (!dayStart(from.value) || !dayStart(to.value) || to.value < from.value) {
            fieldError(to, t('stats.bad_period'));
            to.focus();
            return;
        }
        ctx.navigate(`#/stats${qs({ from: from.value, to: to.value })}`);
    });
    const out = h('div', { class: 'slot', testid: 'stats-out' }, loading());
    ctx.root.append(
        h('div', { class: 'page-head' },
            h('div', {}, h('h1', { text: t('stats.title') }), h('p', { class: 'muted', text: t('stats.sub') }))),
        h('section', { class: 'card' }, form),
        out);

    const fromIso = dayStart(fromVal);
    const toIso = dayStart(toVal, 1);
    if (!fromIso || !toIso || toIso <= fromIso) {
        replace(out, errorBox({ message: t('stats.bad_period') }, 'stats-error'));
        return;
    }
    let s;
    let plan;
    try {
        [s, plan] = await Promise.all([
            api('GET', `/api/v1/stats${qs({ from: fromIso, to: toIso })}`),
            currentPlan().catch(() => null),
        ]);
    } catch (e) {
        if (ctx.alive())
            replace(out, errorBox(e, 'stats-error'));
        return;
    }
    if (!ctx.alive())
        return;
    const content = contentOf(plan);
    const o = s.overall;
    const tiles = h('section', { class: 'card', testid: 'stats-overall' },
        h('div', { class: 'stats' },
            h('div', { class: 'stat' }, h('div', { class: 'muted small', text: t('stats.count') }),
                h('div', { class: 'stat-value', testid: 'stats-count', text: String(o.count) })),
            MEASURES.map((m) => h('div', { class: 'stat', dataset: { measure: m.key } },
                h('div', { class: 'muted small', text: t(m.long) }),
                h('div', { class: 'stat-value', testid: `stats-${m.key}`, text: fmtSpan(o[m.key]) })))),
        h('p', { class: 'muted small', testid: 'stats-drills', text: t('stats.drills_excluded') }),
        h('p', {}, h('a', { href: `#/incidents${qs({ is_drill: 'false' })}`, text: t('stats.list') })));
    if (!o.count) {
        replace(out, tiles, h('section', { class: 'card' }, emptyState(t('stats.none'), 'stats-none')));
        return;
    }
    const order = new Map(sortedLevels(content).map((l, i) => [l.key, i]));
    const levels = s.levels.map((row) => ({
        key: row.level || '', row,
        name: row.level ? levelName(content, row.level) : t('stats.unlevelled'),
    })).sort((a, b) => (order.has(a.key) ? order.get(a.key) : 99) - (order.has(b.key) ? order.get(b.key) : 99));
    const cats = s.categories.map((row) => ({ key: row.category, row, name: categoryName(content, row.category) }))
        .sort((a, b) => b.row.count - a.row.count || a.name.localeCompare(b.name));
    replace(out, tiles,
        breakdown(t('stats.by_level'), levels, 'stats-levels'),
        breakdown(t('stats.by_category'), cats, 'stats-categories'));
}
