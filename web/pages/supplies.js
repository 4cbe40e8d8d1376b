// #/supplies : the emergency supplies (应急物资) with low stock and
// inspections due, adding one, CSV out and in.
// #/supplies/ID : one supply: stock movements (in, out, allocate to an
// incident, return), their history, and its details.

import { api, qs } from '../lib/api.js';
import { h, replace, field, select, fieldError } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { can } from '../lib/session.js';
import { loadPeople, personName } from '../lib/people.js';
import { timeEl } from '../lib/time.js';
import { errorBox, emptyState, loading, toast, busy, setTitle } from '../lib/ui.js';

const MOVES = ['in', 'out', 'allocate', 'return'];
const SOON_MS = 7 * 86400000;

/** Admins, command HQ and the logistics team (/me lists a team's rights too). */
export function mayManageSupplies() {
    return can('supply.manage');
}

export function render(ctx) {
    return ctx.params[0] ? renderSupply(ctx, ctx.params[0]) : renderList(ctx);
}

function inspectBadge(s) {
    if (!s.inspect_by || new Date(s.inspect_by).getTime() - Date.now() > SOON_MS)
        return null;
    return h('span', { class: 'badge verdict-missed', testid: 'supply-inspect-due', text: t('supply.inspect_due') });
}

function lowBadge(s, testid) {
    return s.low ? h('span', { class: 'badge breach', testid, text: t('supply.low') }) : null;
}

/** A date input's value ("2026-12-01") as the start of that local day, RFC 3339. */
function dateToIso(value) {
    if (!value)
        return '';
    const d = new Date(`${value}T00:00`);
    return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

function isoToDate(iso) {
    if (!iso)
        return '';
    const d = new Date(iso);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * Incident numbers for ids (movements and expenses carry only the id),
 * added to `known`; one GET each for those not known yet.
 */
export async function incidentNumbers(ids, known = new Map()) {
    const missing = [...new Set(ids.filter((id) => id && !known.has(id)))];
    await Promise.all(missing.map((id) => api('GET', `/api/v1/incidents/${id}`)
        .then((inc) => known.set(id, inc.number)).catch(() => {})));
    return known;
}

export function incidentRef(numbers, id) {
    const n = numbers.get(id);
    return h('a', { href: `#/incidents/${encodeURIComponent(n || id)}`, class: 'inc-number', text: n || t('supply.incident_n', { id }) });
}

// ---- the list ------------------------------------------------------------------

async function renderList(ctx) {
    setTitle(t('nav.supplies'));
    ctx.root.append(loading());
    const list = await api('GET', '/api/v1/supplies');
    if (!ctx.alive())
        return;
    const items = list.items || [];
    const table = items.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'data cards', testid: 'supplies-table' },
            h('caption', { class: 'sr-only', text: t('supplies.title') }),
            h('thead', {}, h('tr', {}, ['supply.f.name', 'supply.f.kind', 'supply.f.location', 'supply.f.quantity', 'supply.f.min', 'supply.f.inspect']
                .map((k) => h('th', { scope: 'col', text: t(k) })))),
            h('tbody', {}, items.map((s) => h('tr', { testid: 'supply-row', class: s.low ? 'late' : '', dataset: { id: s.id, name: s.name, low: s.low ? '1' : '0' } },
                h('td', { class: 'card-title' }, h('a', { href: `#/supplies/${s.id}`, testid: 'supply-link', text: s.name })),
                h('td', { dataset: { label: t('supply.f.kind') }, text: s.kind || '—' }),
                h('td', { dataset: { label: t('supply.f.location') }, text: s.location || '—' }),
                h('td', { class: 'nowrap', dataset: { label: t('supply.f.quantity') } }, h('span', {}, h('strong', { testid: 'supply-row-quantity', text: String(s.quantity) }), ` ${s.unit} `, lowBadge(s))),
                h('td', { dataset: { label: t('supply.f.min') }, text: `${s.min_quantity} ${s.unit}` }),
                h('td', { class: 'nowrap', dataset: { label: t('supply.f.inspect') } }, h('span', {}, s.inspect_by ? timeEl(s.inspect_by, 'date') : '—', ' ', inspectBadge(s))))))))
        : emptyState(t('supplies.none'), 'supplies-empty');
    const low = items.filter((s) => s.low).length;
    // replace() skips a missing part; replaceChildren() would write "null".
    replace(ctx.root,
        h('div', { class: 'page-head' },
            h('div', {}, h('h1', { text: t('supplies.title') }), h('p', { class: 'muted', text: t('supplies.sub') })),
            h('a', { href: '/api/v1/supplies.csv', class: 'button secondary', download: 'supplies.csv', testid: 'supplies-csv', text: t('supplies.csv') })),
        h('section', { class: 'card', testid: 'supplies' },
            low ? h('p', { class: 'ack-state warn', testid: 'supplies-low', text: t('supplies.low_count', { n: low }) }) : null,
            table),
        mayManageSupplies() ? h('div', { class: 'split even' }, addCard(ctx, !items.length), importCard(ctx)) : null);
}

function supplyFields(s = {}) {
    const c = {
        name: h('input', { maxlength: 200, testid: 'supply-f-name', value: s.name || '', autocomplete: 'off' }),
        kind: h('input', { maxlength: 60, testid: 'supply-f-kind', value: s.kind || '' }),
        location: h('input', { maxlength: 120, testid: 'supply-f-location', value: s.location || '' }),
        unit: h('input', { maxlength: 30, testid: 'supply-f-unit', value: s.unit || '' }),
        min_quantity: h('input', { type: 'number', min: 0, step: 1, testid: 'supply-f-min', value: String(s.min_quantity || 0) }),
        inspect_by: h('input', { type: 'date', testid: 'supply-f-inspect', value: isoToDate(s.inspect_by) }),
        notes: h('textarea', { rows: 2, testid: 'supply-f-notes', value: s.notes || '' }),
    };
    return c;
}

/** The body for POST/PATCH from the fields; null (and the field marked) when one is wrong. */
function supplyBody(c) {
    for (const el of Object.values(c))
        fieldError(el, null);
    if (!c.name.value.trim()) {
        fieldError(c.name, t('required'));
        c.name.focus();
        return null;
    }
    const body = {
        name: c.name.value.trim(), kind: c.kind.value.trim(), location: c.location.value.trim(),
        unit: c.unit.value.trim(), min_quantity: Number(c.min_quantity.value) || 0,
        inspect_by: dateToIso(c.inspect_by.value), notes: c.notes.value.trim(),
    };
    if (c.quantity) {
        const n = Number(c.quantity.value || 0);
        if (!Number.isInteger(n) || n < 0) {
            fieldError(c.quantity, t('supply.need_count'));
            c.quantity.focus();
            return null;
        }
        body.quantity = n;
    }
    return body;
}

function supplyForm(c, slot, submit, testid) {
    return h('form', { class: 'grid-form', novalidate: true, testid },
        field(t('supply.f.name'), c.name), field(t('supply.f.kind'), c.kind, { optional: t('optional') }),
        field(t('supply.f.location'), c.location, { optional: t('optional') }),
        c.quantity ? field(t('supply.f.quantity'), c.quantity) : null,
        field(t('supply.f.unit'), c.unit, { optional: t('optional') }),
        field(t('supply.f.min'), c.min_quantity, { hint: t('supply.f.min.hint') }),
        field(t('supply.f.inspect'), c.inspect_by, { optional: t('optional') }),
        field(t('supply.f.notes'), c.notes, { optional: t('optional') }),
        slot, h('div', { class: 'form-actions' }, submit));
}

function addCard(ctx, open) {
    const c = supplyFields();
    c.quantity = h('input', { type: 'number', min: 0, step: 1, value: '0', testid: 'supply-f-quantity' });
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'supply-add-submit', text: t('supply.add') });
    const form = supplyForm(c, slot, submit, 'supply-add-form');
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.replaceChildren();
        const body = supplyBody(c);
        if (!body)
            return;
        if (!body.inspect_by)
            delete body.inspect_by;
        await busy(submit, async () => {
            try {
                const s = await api('POST', '/api/v1/supplies', body);
                toast(t('supply.added', { name: s.name }));
                ctx.rerender();
            } catch (e) {
                const el = e.field && c[e.field];
                if (el) {
                    fieldError(el, e.message);
                    el.focus();
                } else {
                    slot.append(errorBox(e, 'supply-add-error'));
                }
            }
        });
    });
    return h('section', { class: 'card', testid: 'supply-add', 'aria-labelledby': 'supply-add-title' },
        h('details', { class: 'fold', open },
            h('summary', { testid: 'supply-add-open' }, h('h2', { id: 'supply-add-title', text: t('supply.add') })), form));
}

function importCard(ctx) {
    const csv = h('textarea', { rows: 6, class: 'code', spellcheck: 'false', testid: 'supply-import-csv' });
    const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain', testid: 'supply-import-file' });
    file.addEventListener('change', () => {
        const f = file.files && file.files[0];
        if (!f)
            return;
        const reader = new FileReader();
        reader.addEventListener('load', () => {
            csv.value = String(reader.result);
        });
        reader.addEventListener('error', () => toast(t('plan.import.read_failed'), 'error'));
        reader.readAsText(f);
    });
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'secondary', testid: 'supply-import-submit', text: t('supply.import.submit') });
    const form = h('form', { class: 'stack', novalidate: true },
        field(t('plan.import.file'), file, { optional: t('optional') }),
        field(t('supply.import.csv'), csv, { hint: t('supply.import.hint') }), slot,
        h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.replaceChildren();
        if (!csv.value.trim()) {
            slot.append(errorBox({ message: t('supply.import.empty') }, 'supply-import-error'));
            csv.focus();
            return;
        }
        await busy(submit, async () => {
            try {
                const r = await api('POST', '/api/v1/supplies/import', { csv: csv.value });
                toast(t('supply.import.done', { n: r.created }));
                ctx.rerender();
            } catch (e) {
                slot.append(errorBox(e, 'supply-import-error'));
            }
        });
    });
    return h('section', { class: 'card', testid: 'supply-import', 'aria-labelledby': 'supply-import-title' },
        h('details', { class: 'fold' },
            h('summary', { testid: 'supply-import-open' }, h('h2', { id: 'supply-import-title', text: t('supply.import') })), form));
}

// ---- one supply ---------------------------------------------------------------------

function metaRow(label, value) {
    return [h('dt', { text: label }), h('dd', {}, value)];
}

async function renderSupply(ctx, id) {
    const path = `/api/v1/supplies/${encodeURIComponent(id)}`;
    ctx.root.append(loading());
    const [first] = await Promise.all([api('GET', path), loadPeople().catch(() => null)]);
    const numbers = await incidentNumbers(first.movements.map((m) => m.incident_id));
    if (!ctx.alive())
        return;
    let s = first;
    setTitle(s.name);
    const headSlot = h('div', { class: 'slot' });
    const detailsSlot = h('div', { class: 'slot' });
    const movesSlot = h('div', { class: 'slot' });

    function show() {
        replace(headSlot,
            h('h1', { testid: 'supply-name', text: s.name }),
            h('p', { class: 'stock' },
                h('span', { class: 'muted', text: `${t('supply.in_stock')} ` }),
                h('strong', { class: 'big', testid: 'supply-quantity', dataset: { quantity: s.quantity }, text: String(s.quantity) }),
                ` ${s.unit} `, lowBadge(s, 'supply-low'), inspectBadge(s)));
        replace(detailsSlot, h('dl', { class: 'meta' },
            metaRow(t('supply.f.kind'), s.kind || '—'),
            metaRow(t('supply.f.location'), s.location || '—'),
            metaRow(t('supply.f.min'), `${s.min_quantity} ${s.unit}`),
            metaRow(t('supply.f.inspect'), s.inspect_by ? timeEl(s.inspect_by, 'date') : '—'),
            metaRow(t('supply.f.notes'), h('div', { class: 'prewrap', text: s.notes || '—' })),
            metaRow(t('supply.updated_at'), timeEl(s.updated_at))));
        const moves = [...(s.movements || [])].sort((a, b) => b.id - a.id);
        replace(movesSlot, moves.length
            ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'supply-movements' },
                h('thead', {}, h('tr', {}, ['supply.col.at', 'supply.move.kind', 'supply.move.quantity', 'supply.move.incident', 'supply.move.note', 'supply.col.actor']
                    .map((k) => h('th', { scope: 'col', text: t(k) })))),
                h('tbody', {}, moves.map((m) => h('tr', { testid: 'supply-movement', dataset: { kind: m.kind, quantity: m.quantity } },
                    h('td', { class: 'nowrap' }, timeEl(m.at)),
                    h('td', {}, h('span', { class: ['badge', `move-${m.kind}`], text: t(`move.${m.kind}`) })),
                    h('td', { class: 'nowrap', text: `${m.kind === 'out' || m.kind === 'allocate' ? '−' : '+'}${m.quantity} ${m.unit}` }),
                    h('td', {}, m.incident_id ? incidentRef(numbers, m.incident_id) : '—'),
                    h('td', { text: m.note || '' }),
                    h('td', { text: personName(m.actor_id) }))))))
            : emptyState(t('supply.no_movements')));
    }

    async function reload() {
        s = await api('GET', path);
        await incidentNumbers(s.movements.map((m) => m.incident_id), numbers);
        if (ctx.alive())
            show();
    }

    show();
    ctx.root.replaceChildren(
        h('nav', { class: 'crumbs', 'aria-label': t('crumbs') },
            h('a', { href: '#/supplies', text: t('nav.supplies') }), ' / ', h('span', { text: s.name })),
        h('section', { class: 'card inc-head', testid: 'supply-head' }, headSlot),
        h('div', { class: 'room-grid' },
            h('div', { class: 'room-main' },
                mayManageSupplies() ? moveCard(() => s, reload) : null,
                h('section', { class: 'card', 'aria-labelledby': 'supply-moves-title' },
                    h('h2', { id: 'supply-moves-title', text: t('supply.movements') }), movesSlot)),
            h('div', { class: 'room-side' },
                h('section', { class: 'card', 'aria-labelledby': 'supply-details-title' },
                    h('h2', { id: 'supply-details-title', text: t('supply.details') }), detailsSlot),
                mayManageSupplies() ? editCard(() => s, (next) => {
                    s = { ...next, movements: s.movements };
                    setTitle(s.name);
                    show();
                }) : null)));
}

function moveCard(supply, reload) {
    const kind = select(MOVES.map((k) => ({ value: k, label: t(`move.${k}`) })), { testid: 'supply-move-kind', name: 'kind', value: 'allocate' });
    const quantity = h('input', { type: 'number', min: 1, step: 1, testid: 'supply-move-quantity', name: 'quantity' });
    const incident = h('input', { testid: 'supply-move-incident', name: 'incident', maxlength: 40, autocomplete: 'off', spellcheck: 'false', list: 'supply-incidents' });
    const known = h('datalist', { id: 'supply-incidents' });
    const note = h('input', { testid: 'supply-move-note', name: 'note', maxlength: 1000 });
    const incidentField = field(t('supply.move.incident'), incident, { hint: t('supply.move.incident.hint') });
    const showIncident = () => {
        incidentField.hidden = kind.value !== 'allocate' && kind.value !== 'return';
    };
    kind.addEventListener('change', showIncident);
    showIncident();
    api('GET', `/api/v1/incidents${qs({ limit: 50 })}`).then((r) => {
        for (const inc of r.items)
            known.append(h('option', { value: inc.number, text: inc.title }));
    }).catch(() => {});
    const slot = h('div', { class: 'slot', 'aria-live': 'polite' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'supply-move-submit', text: t('supply.move.submit') });
    const form = h('form', { class: 'grid-form', novalidate: true, testid: 'supply-move-form' },
        field(t('supply.move.kind'), kind), field(t('supply.move.quantity'), quantity),
        incidentField, known, field(t('supply.move.note'), note, { optional: t('optional') }), slot,
        h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.replaceChildren();
        for (const el of [quantity, incident])
            fieldError(el, null);
        const n = Number(quantity.value);
        if (!quantity.value || !Number.isInteger(n) || n < 1) {
            fieldError(quantity, t('supply.need_quantity'));
            quantity.focus();
            return;
        }
        const body = { kind: kind.value, quantity: n };
        const ref = incidentField.hidden ? '' : incident.value.trim().toUpperCase();
        if (kind.value === 'allocate' && !ref) {
            fieldError(incident, t('supply.need_incident'));
            incident.focus();
            return;
        }
        if (ref)
            body.incident = ref;
        if (note.value.trim())
            body.note = note.value.trim();
        await busy(submit, async () => {
            try {
                const s = await api('POST', `/api/v1/supplies/${supply().id}/movements`, body);
                toast(t('supply.moved', { kind: t(`move.${body.kind}`), n, unit: s.unit }));
                quantity.value = '';
                note.value = '';
                await reload();
            } catch (e) {
                if (e.status === 409) {
                    await reload().catch(() => {});
                    const s = supply();
                    slot.append(errorBox({ message: t('supply.not_enough', { want: n, n: s.quantity, unit: s.unit }) }, 'supply-move-error'));
                } else if (e.field === 'incident' || e.field === 'quantity') {
                    const el = e.field === 'incident' ? incident : quantity;
                    fieldError(el, e.message);
                    el.focus();
                } else {
                    slot.append(errorBox(e, 'supply-move-error'));
                }
            }
        });
    });
    return h('section', { class: 'card', testid: 'supply-move', 'aria-labelledby': 'supply-move-title' },
        h('h2', { id: 'supply-move-title', text: t('supply.move') }), form);
}

function editCard(supply, done) {
    const c = supplyFields(supply());
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'secondary', testid: 'supply-edit-submit', text: t('supply.edit.submit') });
    const form = supplyForm(c, slot, submit, 'supply-edit-form');
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.replaceChildren();
        const body = supplyBody(c);
        if (!body)
            return;
        await busy(submit, async () => {
            try {
                done(await api('PATCH', `/api/v1/supplies/${supply().id}`, body, { version: supply().version }));
                toast(t('saved'));
            } catch (e) {
                slot.append(errorBox(e, 'supply-edit-error'));
            }
        });
    });
    return h('section', { class: 'card', testid: 'supply-edit', 'aria-labelledby': 'supply-edit-title' },
        h('details', { class: 'fold' },
            h('summary', {}, h('h2', { id: 'supply-edit-title', text: t('supply.edit') })), form));
}

/** What was allocated to (and returned from) an incident, for its command room. */
export async function incidentSupplies(ref) {
    const r = await api('GET', `/api/v1/incidents/${encodeURIComponent(ref)}/supplies`);
    if (!r.items.length)
        return emptyState(t('incident.supplies.none'), 'incident-supplies-none');
    return h('ul', { class: 'mini-list', testid: 'incident-supplies-list' }, r.items.map((m) => h('li', {
        testid: 'incident-supply', dataset: { supplyId: m.supply_id, kind: m.kind, quantity: m.quantity },
    },
    h('span', { class: ['badge', `move-${m.kind}`], text: t(`move.${m.kind}`) }), ' ',
    h('a', { href: `#/supplies/${m.supply_id}`, text: m.supply }), ' ',
    h('strong', { text: `${m.quantity} ${m.unit}` }), ' ',
    h('span', { class: 'muted small' }, timeEl(m.at)))));
}
