// The forms of an integration's page (#/integrations/ID) that PATCH it:
// its settings, its ordered routing rules and its maintenance windows;
// an error the API names a field of is shown under that field.

import { api } from '../lib/api.js';
import { h, replace, field, checkField, select, fieldError } from '../lib/dom.js';
import { t, tx } from '../lib/i18n.js';
import { categoryTree, sortedLevels } from '../lib/plan.js';
import { localInputToIso, isoToLocalInput } from '../lib/time.js';
import { errorBox, toast, busy } from '../lib/ui.js';

export function categoryOptions(content, emptyLabel) {
    return [{ value: '', label: emptyLabel },
        ...categoryTree(content).map(({ cat, depth }) => ({ value: cat.key, label: `${'\u3000'.repeat(depth)}${tx(cat.name)}` }))];
}

export function levelOptions(content, emptyLabel) {
    return [{ value: '', label: emptyLabel }, ...sortedLevels(content).map((l) => ({ value: l.key, label: tx(l.name) }))];
}

/** A select of the plan's keys that still shows a key the plan no longer has. */
function keySelect(options, value, props) {
    const opts = [...options];
    if (value && !opts.some((o) => o.value === value))
        opts.push({ value, label: value });
    return select(opts, { ...props, value: value || '' });
}

export function splitList(text) {
    return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function lines(text) {
    return text.split('\n').map((s) => s.trim()).filter(Boolean);
}

/**
 * An error the API gave for a form: under the control of the field it
 * names ("rules[2].matchers[0]" falls back to "rules[2].matchers", then
 * "rules[2]"), else in slot.
 */
export function showFieldError(err, controls, slot, testid) {
    let name = err && err.field;
    while (name) {
        const c = controls[name];
        if (c && document.getElementById(`${c.id}-err`)) {
            fieldError(c, err.message);
            c.focus();
            return;
        }
        const cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('['));
        name = cut > 0 ? name.slice(0, cut) : '';
    }
    slot.append(errorBox(err, testid));
}

export function clearErrors(controls, slot) {
    slot.replaceChildren();
    for (const c of Object.values(controls))
        fieldError(c, null);
}

// ---- settings -----------------------------------------------------------------

export function settingsForm(st, onSaved) {
    const x = st.integ;
    const heartbeat = x.kind === 'heartbeat';
    const c = {
        name: h('input', { testid: 'set-name', maxlength: 128, value: x.name, autocomplete: 'off' }),
        category: keySelect(categoryOptions(st.content, t('int.f.category.default')), x.category, { testid: 'set-category' }),
        level: keySelect(levelOptions(st.content, t('int.f.level.none')), x.level, { testid: 'set-level' }),
        title_template: h('input', { testid: 'set-title', maxlength: 512, value: x.title_template || '' }),
        rate_limit_per_min: h('input', { type: 'number', min: 1, step: 1, class: 'num', testid: 'set-rate', value: String(x.rate_limit_per_min) }),
        auto_dismiss: h('input', { type: 'checkbox', testid: 'set-auto-dismiss', checked: Boolean(x.auto_dismiss) }),
    };
    if (heartbeat) {
        c.interval_s = h('input', { type: 'number', min: 10, max: 604800, step: 1, class: 'num', testid: 'set-interval', value: String(x.interval_s || '') });
    } else {
        c.group_by = h('input', { testid: 'set-group-by', value: (x.group_by || []).join(', '), autocapitalize: 'none', spellcheck: 'false' });
        c.group_window_s = h('input', { type: 'number', min: 0, step: 1, class: 'num', testid: 'set-group-window', value: String(x.group_window_s || 0) });
    }
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'set-submit', text: t('int.save') });
    const form = h('form', { class: 'grid-form', novalidate: true, testid: 'int-settings' },
        field(t('int.f.name'), c.name),
        field(t('int.f.title'), c.title_template, { hint: t('int.f.title.hint'), optional: t('optional') }),
        field(t('int.f.category'), c.category, { hint: t('int.f.category.hint') }),
        field(t('int.f.level'), c.level),
        heartbeat ? field(t('int.f.interval'), c.interval_s, { hint: t('int.f.interval.hint') }) : [
            field(t('int.f.group_by'), c.group_by, { hint: t('int.f.group_by.hint'), optional: t('optional') }),
            field(t('int.f.group_window'), c.group_window_s, { hint: t('int.f.group_window.hint') }),
        ],
        field(t('int.f.rate'), c.rate_limit_per_min),
        checkField(t('int.f.auto_dismiss'), c.auto_dismiss, { class: 'full' }),
        slot, h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        clearErrors(c, slot);
        const need = heartbeat ? ['name', 'interval_s', 'rate_limit_per_min'] : ['name', 'rate_limit_per_min'];
        for (const k of need)
            if (!c[k].value.trim()) {
                fieldError(c[k], t('required'));
                c[k].focus();
                return;
            }
        const body = {
            name: c.name.value.trim(), category: c.category.value || null, level: c.level.value || null,
            title_template: c.title_template.value.trim(), rate_limit_per_min: Number(c.rate_limit_per_min.value),
            auto_dismiss: c.auto_dismiss.checked,
        };
        if (heartbeat) {
            body.interval_s = Number(c.interval_s.value);
        } else {
            body.group_by = splitList(c.group_by.value);
            body.group_window_s = Number(c.group_window_s.value || 0);
        }
        busy(submit, async () => {
            try {
                st.integ = await api('PATCH', `/api/v1/integrations/${st.integ.id}`, body, { version: st.integ.version });
                onSaved();
                toast(t('saved'));
            } catch (e) {
                showFieldError(e, c, slot, 'set-error');
            }
        });
    });
    return h('section', { class: 'card', 'aria-labelledby': 'int-settings-title' },
        h('h2', { id: 'int-settings-title', text: t('int.settings') }), form);
}

// ---- ordered lists of rules and of maintenance windows -----------------------------

/**
 * An editor of an ordered list saved with one PATCH of `key`: one fieldset
 * an item (made by spec.item, read back by spec.read), with move up/down
 * and remove, an add button and a save button. Errors naming
 * key[i].field show under that item's control.
 */
function listEditor(st, spec) {
    let items = (st.integ[spec.key] || []).map((x) => ({ ...x }));
    let controls = {};
    const list = h('ol', { class: 'edit-list', testid: `${spec.testid}-list` });
    const slot = h('div', { class: 'slot' });
    const add = h('button', { type: 'button', class: 'secondary', testid: `${spec.testid}-add`, text: spec.addLabel });
    const save = h('button', { type: 'submit', class: 'primary', testid: `${spec.testid}-save`, text: spec.saveLabel });
    let readers = [];

    function collect() {
        items = readers.map((read) => read());
    }

    function draw(focus) {
        controls = {};
        readers = [];
        replace(list);
        if (!items.length)
            list.append(h('li', { class: 'empty', testid: `${spec.testid}-empty`, text: spec.emptyText }));
        items.forEach((item, i) => {
            const made = spec.item(item, i);
            for (const [k, el] of Object.entries(made.controls))
                controls[`${spec.key}[${i}].${k}`] = el;
            controls[`${spec.key}[${i}]`] = made.controls.matchers;
            readers.push(made.read);
            const move = (d) => {
                collect();
                const [it] = items.splice(i, 1);
                items.splice(i + d, 0, it);
                draw({ index: i + d, testid: d < 0 ? 'up' : 'down' });
            };
            const up = h('button', { type: 'button', class: 'small secondary', testid: `${spec.testid}-up`, disabled: i === 0, text: t('int.rule.up') });
            const down = h('button', { type: 'button', class: 'small secondary', testid: `${spec.testid}-down`, disabled: i === items.length - 1, text: t('int.rule.down') });
            const rm = h('button', { type: 'button', class: 'small secondary', testid: `${spec.testid}-remove`, text: spec.removeLabel });
            up.addEventListener('click', () => move(-1));
            down.addEventListener('click', () => move(1));
            rm.addEventListener('click', () => {
                collect();
                items.splice(i, 1);
                draw(items.length ? { index: Math.min(i, items.length - 1), testid: 'remove' } : { add: true });
            });
            const title = spec.itemTitle(i);
            list.append(h('li', { class: 'edit-item', testid: spec.testid, dataset: { index: i } },
                h('fieldset', {}, h('legend', { text: title }), made.body,
                    h('div', { class: 'item-actions', role: 'group', 'aria-label': title }, up, down, rm))));
        });
        if (focus && focus.add)
            add.focus();
        else if (focus) {
            const li = list.children[focus.index];
            const b = li && li.querySelector(`[data-testid="${spec.testid}-${focus.testid}"]`);
            if (b && !b.disabled)
                b.focus();
            else if (li)
                li.querySelector('textarea, input, select').focus();
        }
    }

    add.addEventListener('click', () => {
        collect();
        items.push(spec.blank());
        draw();
        list.lastElementChild.querySelector('textarea').focus();
    });
    const form = h('form', { class: 'stack', novalidate: true, testid: `${spec.testid}-form` },
        h('p', { class: 'hint', text: spec.hint }), list, h('div', {}, add), slot,
        h('div', { class: 'form-actions' }, save));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        clearErrors(controls, slot);
        collect();
        for (let i = 0; i < items.length; i++) {
            const missing = spec.check(items[i]);
            if (missing) {
                const c = controls[`${spec.key}[${i}].${missing}`];
                fieldError(c, t('required'));
                c.focus();
                return;
            }
        }
        busy(save, async () => {
            try {
                st.integ = await api('PATCH', `/api/v1/integrations/${st.integ.id}`, { [spec.key]: items.map(spec.body) },
                    { version: st.integ.version });
                items = (st.integ[spec.key] || []).map((x) => ({ ...x }));
                draw();
                toast(t('saved'));
            } catch (e) {
                showFieldError(e, controls, slot, `${spec.testid}-error`);
            }
        });
    });
    draw();
    return h('section', { class: 'card', testid: `${spec.testid}-card`, 'aria-labelledby': `${spec.testid}-title` },
        h('h2', { id: `${spec.testid}-title`, text: spec.title }), form);
}

export function rulesEditor(st) {
    return listEditor(st, {
        key: 'rules', testid: 'rule', title: t('int.rules'), hint: t('int.rules.hint'),
        emptyText: t('int.rules.none'), addLabel: t('int.rule.add'), saveLabel: t('int.rules.save'),
        removeLabel: t('int.rule.remove'), itemTitle: (i) => t('int.rule.n', { n: i + 1 }),
        blank: () => ({ matchers: [], category: null, level: null, title: null, drop: false }),
        check: () => null,
        body: (r) => ({ matchers: r.matchers, category: r.category, level: r.level, title: r.title, drop: r.drop }),
        item(r) {
            const c = {
                matchers: h('textarea', { rows: 3, class: 'code', testid: 'rule-matchers', spellcheck: 'false', autocapitalize: 'none', placeholder: 'severity="critical"\njob=~"db.*"' }),
                category: keySelect(categoryOptions(st.content, t('int.rule.category.keep')), r.category, { testid: 'rule-category' }),
                level: keySelect(levelOptions(st.content, t('int.rule.level.keep')), r.level, { testid: 'rule-level' }),
                title: h('input', { testid: 'rule-title', maxlength: 512, value: r.title || '' }),
                drop: h('input', { type: 'checkbox', testid: 'rule-drop', checked: Boolean(r.drop) }),
            };
            c.matchers.value = (r.matchers || []).join('\n');
            const showDrop = () => {
                for (const k of ['category', 'level', 'title'])
                    c[k].disabled = c.drop.checked;
            };
            c.drop.addEventListener('change', showDrop);
            showDrop();
            return {
                controls: c,
                body: [field(t('int.rule.matchers'), c.matchers),
                    h('div', { class: 'grid-form' }, field(t('int.rule.category'), c.category), field(t('int.rule.level'), c.level),
                        field(t('int.rule.title'), c.title, { hint: t('int.rule.title.hint'), optional: t('optional'), class: 'full' })),
                    checkField(t('int.rule.drop'), c.drop)],
                read: () => ({
                    matchers: lines(c.matchers.value), category: c.category.value || null, level: c.level.value || null,
                    title: c.title.value.trim() || null, drop: c.drop.checked,
                }),
            };
        },
    });
}

export function maintenanceEditor(st) {
    return listEditor(st, {
        key: 'maintenance', testid: 'maint', title: t('int.maint'), hint: t('int.maint.hint'),
        emptyText: t('int.maint.none'), addLabel: t('int.maint.add'), saveLabel: t('int.maint.save'),
        removeLabel: t('int.maint.remove'), itemTitle: (i) => t('int.maint.n', { n: i + 1 }),
        blank: () => ({ matchers: [], starts_at: new Date().toISOString(), ends_at: new Date(Date.now() + 2 * 3600000).toISOString(), reason: '' }),
        check: (m) => (!m.starts_at ? 'starts_at' : !m.ends_at ? 'ends_at' : null),
        body: (m) => ({ matchers: m.matchers, starts_at: m.starts_at, ends_at: m.ends_at, reason: m.reason }),
        item(m) {
            const c = {
                matchers: h('textarea', { rows: 2, class: 'code', testid: 'maint-matchers', spellcheck: 'false', autocapitalize: 'none', placeholder: 'instance=~"web-.*"' }),
                starts_at: h('input', { type: 'datetime-local', testid: 'maint-starts', value: isoToLocalInput(m.starts_at) }),
                ends_at: h('input', { type: 'datetime-local', testid: 'maint-ends', value: isoToLocalInput(m.ends_at) }),
                reason: h('input', { testid: 'maint-reason', maxlength: 512, value: m.reason || '' }),
            };
            c.matchers.value = (m.matchers || []).join('\n');
            const now = Date.now();
            const s = Date.parse(m.starts_at);
            const e = Date.parse(m.ends_at);
            const when = s <= now && now < e ? h('span', { class: 'badge status-acknowledged', text: t('int.maint.now') })
                : e <= now ? h('span', { class: 'badge status-dismissed', text: t('int.maint.past') }) : null;
            return {
                controls: c,
                body: [when, field(t('int.maint.matchers'), c.matchers),
                    h('div', { class: 'grid-form' }, field(t('int.maint.starts'), c.starts_at), field(t('int.maint.ends'), c.ends_at),
                        field(t('int.maint.reason'), c.reason, { optional: t('optional'), class: 'full' }))],
                read: () => ({
                    matchers: lines(c.matchers.value), starts_at: localInputToIso(c.starts_at.value),
                    ends_at: localInputToIso(c.ends_at.value), reason: c.reason.value.trim(),
                }),
            };
        },
    });
}
