// #/funds?year=Y : the year's emergency funds (应急经费): budget, spent and
// remaining; setting the budget, recording an expense against an incident,
// a drill or a supply, and the expenses as CSV. Amounts are entered in
// yuan and sent in cents.

import { api, qs } from '../lib/api.js';
import { h, field, select, fieldError } from '../lib/dom.js';
import { t, getLang } from '../lib/i18n.js';
import { can } from '../lib/session.js';
import { loadPeople, personName } from '../lib/people.js';
import { timeEl } from '../lib/time.js';
import { errorBox, emptyState, loading, toast, busy, setTitle, showFailure } from '../lib/ui.js';
import { incidentNumbers, incidentRef } from './supplies.js';

/** funds.read and funds.spend include the logistics team (listed by /me). */
export function mayReadFunds() {
    return can('funds.read');
}

function maySpend() {
    return can('funds.spend');
}

export function money(cents) {
    return new Intl.NumberFormat(getLang(), { style: 'currency', currency: 'CNY' }).format(cents / 100);
}

/** "1,234.5" yuan → 123450 cents; null when it is not an amount. */
export function yuanToCents(text) {
    const s = String(text).trim().replace(/[,，\s]/g, '');
    if (!/^\d{1,12}(\.\d{1,2})?$/.test(s))
        return null;
    const [whole, frac = ''] = s.split('.');
    return Number(whole) * 100 + Number(`${frac}00`.slice(0, 2));
}

export async function render(ctx) {
    setTitle(t('nav.funds'));
    const head = h('div', { class: 'page-head' }, h('h1', { text: t('funds.title') }));
    if (!mayReadFunds()) {
        ctx.root.append(head, h('section', { class: 'card' }, emptyState(t('funds.nothing'), 'funds-nothing')));
        return;
    }
    const thisYear = new Date().getFullYear();
    const year = Number(ctx.query.get('year')) || thisYear;
    ctx.root.append(loading());
    const [b, drills, supplies] = await Promise.all([
        api('GET', `/api/v1/budgets/${year}`),
        maySpend() ? api('GET', `/api/v1/drills${qs({ year })}`).catch(() => ({ items: [] })) : { items: [] },
        api('GET', '/api/v1/supplies').catch(() => ({ items: [] })),
        loadPeople().catch(() => null),
    ]);
    const numbers = await incidentNumbers((b.expenses || []).map((x) => x.incident_id));
    if (!ctx.alive())
        return;

    const years = [];
    for (let y = thisYear + 1; y >= thisYear - 4; y--)
        years.push(y);
    if (!years.includes(year))
        years.push(year);
    const yearSel = select(years.map((y) => ({ value: String(y), label: String(y) })), { testid: 'funds-year', value: String(year) });
    yearSel.addEventListener('change', () => ctx.navigate(`#/funds${qs({ year: yearSel.value })}`));
    head.append(h('div', { class: 'head-tools' }, field(t('funds.year'), yearSel),
        h('a', { href: `/api/v1/expenses.csv${qs({ year })}`, class: 'button secondary', download: `expenses-${year}.csv`, testid: 'funds-csv', text: t('funds.csv') })));

    const over = b.remaining_cents < 0;
    const stat = (key, cents, testid, cls) => h('div', { class: ['stat', cls] },
        h('div', { class: 'muted small', text: t(key) }),
        h('div', { class: 'stat-value', testid, dataset: { cents }, text: money(cents) }));
    const summary = h('section', { class: 'card', testid: 'funds-summary', 'aria-labelledby': 'funds-summary-title' },
        h('h2', { id: 'funds-summary-title', text: t('funds.summary', { year }) }),
        h('div', { class: 'stats' },
            stat('funds.budget', b.budget_cents, 'funds-budget'),
            stat('funds.spent', b.spent_cents, 'funds-spent'),
            stat('funds.remaining', b.remaining_cents, 'funds-remaining', over ? 'over' : '')),
        b.budget_cents ? h('progress', { max: b.budget_cents, value: Math.min(b.spent_cents, b.budget_cents), 'aria-label': t('funds.spent') }) : null,
        over ? h('p', { class: 'ack-state warn', testid: 'funds-over', text: t('funds.over') }) : null,
        !b.budget_cents ? h('p', { class: 'muted small', text: t('funds.no_budget') }) : null,
        b.note ? h('p', { class: 'prewrap small', testid: 'funds-note', text: b.note }) : null);

    const expenses = [...(b.expenses || [])].sort((x, y) => y.id - x.id);
    const drillName = new Map(drills.items.map((d) => [d.id, d.title]));
    const supplyName = new Map(supplies.items.map((s) => [s.id, s.name]));
    const forWhat = (x) => [
        x.incident_id ? incidentRef(numbers, x.incident_id) : null,
        x.drill_id ? h('a', { href: `#/drills/${x.drill_id}`, text: drillName.get(x.drill_id) || t('funds.drill_n', { id: x.drill_id }) }) : null,
        x.supply_id ? h('a', { href: `#/supplies/${x.supply_id}`, text: supplyName.get(x.supply_id) || `#${x.supply_id}` }) : null,
    ].filter(Boolean).flatMap((a, i) => (i ? [t('list.sep'), a] : [a]));
    const list = h('section', { class: 'card', testid: 'funds-expenses', 'aria-labelledby': 'funds-expenses-title' },
        h('h2', { id: 'funds-expenses-title', text: t('funds.expenses') }),
        expenses.length
            ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
                h('thead', {}, h('tr', {}, ['funds.col.at', 'funds.col.amount', 'funds.f.purpose', 'funds.col.for', 'supply.col.actor']
                    .map((k) => h('th', { scope: 'col', text: t(k) })))),
                h('tbody', {}, expenses.map((x) => {
                    const links = forWhat(x);
                    return h('tr', { testid: 'funds-expense', dataset: { id: x.id, cents: x.amount_cents } },
                        h('td', { class: 'nowrap' }, timeEl(x.at)),
                        h('td', { class: 'nowrap num', text: money(x.amount_cents) }),
                        h('td', { text: x.purpose }),
                        h('td', {}, links.length ? links : '—'),
                        h('td', { text: personName(x.actor_id) }));
                }))))
            : emptyState(t('funds.no_expenses'), 'funds-no-expenses'));

    ctx.root.replaceChildren(head,
        h('div', { class: 'dash-grid' },
            h('div', { class: 'dash-side' }, summary, list),
            h('div', { class: 'dash-side' },
                maySpend() ? expenseCard(ctx, year, drills.items, supplies.items) : null,
                can('funds.manage') ? budgetCard(ctx, year, b) : null)));
}

function amountInput(testid, value) {
    return h('input', { testid, inputmode: 'decimal', autocomplete: 'off', maxlength: 20, value, placeholder: '0.00' });
}

function budgetCard(ctx, year, b) {
    const amount = amountInput('funds-budget-amount', b.budget_cents ? (b.budget_cents / 100).toFixed(2) : '');
    const note = h('input', { testid: 'funds-budget-note', maxlength: 1000, value: b.note || '' });
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'funds-budget-submit', text: t('funds.set.submit') });
    const form = h('form', { class: 'stack', novalidate: true },
        field(t('funds.f.amount'), amount), field(t('funds.f.note'), note, { optional: t('optional') }), slot,
        h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.replaceChildren();
        fieldError(amount, null);
        const cents = yuanToCents(amount.value);
        if (cents === null) {
            fieldError(amount, t('funds.bad_amount'));
            amount.focus();
            return;
        }
        await busy(submit, async () => {
            try {
                await api('PUT', `/api/v1/budgets/${year}`, { amount_cents: cents, note: note.value.trim() });
                toast(t('funds.set.done'));
                ctx.rerender();
            } catch (e) {
                slot.append(errorBox(e, 'funds-budget-error'));
            }
        });
    });
    return h('section', { class: 'card', testid: 'funds-budget-card', 'aria-labelledby': 'funds-budget-title' },
        h('h2', { id: 'funds-budget-title', text: t('funds.set', { year }) }), form);
}

function expenseCard(ctx, year, drills, supplies) {
    const amount = amountInput('funds-expense-amount', '');
    const purpose = h('input', { testid: 'funds-expense-purpose', maxlength: 1000 });
    const incident = h('input', { testid: 'funds-expense-incident', maxlength: 40, autocomplete: 'off', spellcheck: 'false' });
    const none = { value: '', label: t('funds.none_option') };
    const drill = select([none, ...drills.map((d) => ({ value: String(d.id), label: d.title }))], { testid: 'funds-expense-drill' });
    const supply = select([none, ...supplies.map((s) => ({ value: String(s.id), label: s.name }))], { testid: 'funds-expense-supply' });
    const controls = { amount_cents: amount, purpose, incident, drill_id: drill, supply_id: supply };
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'funds-expense-submit', text: t('funds.expense.submit') });
    const form = h('form', { class: 'stack', novalidate: true, testid: 'funds-expense-form' },
        field(t('funds.f.amount'), amount), field(t('funds.f.purpose'), purpose),
        field(t('funds.f.incident'), incident, { optional: t('optional'), hint: t('supply.move.incident.hint') }),
        drills.length ? field(t('funds.f.drill'), drill, { optional: t('optional') }) : null,
        supplies.length ? field(t('funds.f.supply'), supply, { optional: t('optional') }) : null,
        slot, h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.replaceChildren();
        for (const c of Object.values(controls))
            fieldError(c, null);
        const cents = yuanToCents(amount.value);
        if (!cents) {
            fieldError(amount, t('funds.bad_amount'));
            amount.focus();
            return;
        }
        if (!purpose.value.trim()) {
            fieldError(purpose, t('required'));
            purpose.focus();
            return;
        }
        const body = { year, amount_cents: cents, purpose: purpose.value.trim() };
        if (incident.value.trim())
            body.incident = incident.value.trim().toUpperCase();
        if (drill.value)
            body.drill_id = Number(drill.value);
        if (supply.value)
            body.supply_id = Number(supply.value);
        await busy(submit, async () => {
            try {
                await api('POST', '/api/v1/expenses', body);
                toast(t('funds.expense.done'));
                ctx.rerender();
            } catch (e) {
                showFailure(e, controls, slot, 'funds-expense-error');
            }
        });
    });
    return h('section', { class: 'card', testid: 'funds-expense-card', 'aria-labelledby': 'funds-expense-title' },
        h('h2', { id: 'funds-expense-title', text: t('funds.expense') }), form);
}
