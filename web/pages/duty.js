// #/duty?group=KEY : the duty roster (值班表) of each group. Everyone sees
// who is on duty and the rotations; administrators and command HQ
// (duty.manage) edit them: rotations (members in order, shift length,
// start, time zone), changed or removed, and overrides (who, from, to).

import { api, apiAll, qs } from '../lib/api.js';
import { h, replace, field, select, fieldError } from '../lib/dom.js';
import { t, addTexts } from '../lib/i18n.js';
import { can } from '../lib/session.js';
import { loadPeople, personName, knownPeople } from '../lib/people.js';
import { timeEl, localInputToIso, isoToLocalInput, nowLocalInput, fmtMinutes } from '../lib/time.js';
import { errorBox, emptyState, loading, toast, busy, setTitle, messageOf, showConflict } from '../lib/ui.js';

addTexts({
    'zh-CN': {
        'duty.title': '值班表',
        'duty.group': '小组',
        'duty.edit': '修改',
        'duty.save': '保存轮换',
        'duty.cancel': '取消',
        'duty.delete': '删除轮换',
        'duty.delete_confirm': '删除轮换“{name}”及其临时调班？',
        'duty.deleted': '已删除轮换',
        'duty.up': '上移',
        'duty.down': '下移',
        'duty.remove_member': '移出',
        'duty.add_member': '加入轮换',
        'duty.member_pick': '成员',
        'duty.no_members': '至少需要一名成员。',
        'duty.override.add': '添加临时调班',
        'duty.override.who': '值班人',
        'duty.override.from': '从',
        'duty.override.to': '到',
        'duty.override.remove': '撤销',
        'duty.override.none': '没有临时调班。',
        'duty.override.bad_window': '结束时间须晚于开始时间。',
        'duty.shift_until': '本班至',
        'duty.order': '第 {n} 位',
    },
    en: {
        'duty.title': 'Duty roster',
        'duty.group': 'Group',
        'duty.edit': 'Edit',
        'duty.save': 'Save rotation',
        'duty.cancel': 'Cancel',
        'duty.delete': 'Delete rotation',
        'duty.delete_confirm': 'Delete the rotation "{name}" and its overrides?',
        'duty.deleted': 'Rotation deleted',
        'duty.up': 'Move up',
        'duty.down': 'Move down',
        'duty.remove_member': 'Remove',
        'duty.add_member': 'Add to rotation',
        'duty.member_pick': 'Member',
        'duty.no_members': 'A rotation needs at least one member.',
        'duty.override.add': 'Add override',
        'duty.override.who': 'On duty',
        'duty.override.from': 'From',
        'duty.override.to': 'To',
        'duty.override.remove': 'Remove',
        'duty.override.none': 'No overrides.',
        'duty.override.bad_window': 'The end must be after the start.',
        'duty.shift_until': 'shift until',
        'duty.order': 'No. {n}',
    },
});

export async function render(ctx) {
    setTitle(t('duty.title'));
    const body = h('div', { class: 'stack' }, loading());
    ctx.root.append(h('div', { class: 'page-head' }, h('h1', { text: t('duty.title') })), body);
    const groups = await apiAll('/api/v1/groups');
    await loadPeople().catch(() => null);
    if (!ctx.alive())
        return;
    const key = ctx.query.get('group') || (groups.find((g) => g.kind === 'command') || groups[0] || {}).key;
    if (!key) {
        replace(body, emptyState(t('admin.no_groups')));
        return;
    }
    const pick = select(groups.map((g) => ({ value: g.key, label: g.name })), { value: key, testid: 'duty-group' });
    pick.addEventListener('change', () => ctx.navigate(`#/duty${qs({ group: pick.value })}`));
    const enc = encodeURIComponent(key);
    const [rot, duty, group] = await Promise.all([
        api('GET', `/api/v1/groups/${enc}/rotations`),
        api('GET', `/api/v1/groups/${enc}/on-duty`),
        api('GET', `/api/v1/groups/${enc}`),
    ]);
    if (!ctx.alive())
        return;
    const members = (group.members || []).map((m) => ({ id: m.user_id, label: `${m.display_name} (${m.login})` }));
    const od = duty.on_duty;
    replace(body,
        h('section', { class: 'card', 'aria-labelledby': 'duty-now' },
            h('div', { class: 'card-head' }, h('h2', { id: 'duty-now', text: group.name }),
                field(t('duty.group'), pick, { class: 'picker' })),
            h('p', { class: 'on-duty', testid: 'on-duty', role: 'status' },
                h('strong', { text: `${t('admin.on_duty_now')}: ` }),
                od ? [h('span', { testid: 'on-duty-name', text: od.display_name || od.login }), ' · ',
                    t('duty.shift_until'), ' ', timeEl(od.shift.end)]
                    : h('span', { class: 'muted', text: t('admin.nobody_on_duty') }))),
        rot.items.length ? rot.items.map((r) => rotationCard(ctx, key, r, members))
            : h('section', { class: 'card' }, emptyState(t('admin.no_rotations'), 'no-rotations')),
        can('duty.manage') ? rotationEditor(ctx, key, null, members) : null);
}

function rotationCard(ctx, key, r, members) {
    const card = h('section', { class: 'card rotation', testid: 'rotation', dataset: { id: r.id }, 'aria-labelledby': `rot-${r.id}` });
    const show = () => {
        const edit = can('duty.manage') ? h('button', { type: 'button', class: 'small secondary', testid: 'rotation-edit', text: t('duty.edit') }) : null;
        if (edit)
            edit.addEventListener('click', () => replace(card, rotationEditor(ctx, key, r, members, show)));
        replace(card,
            h('div', { class: 'card-head' }, h('h2', { id: `rot-${r.id}`, text: r.name }), edit),
            h('p', { class: 'small' }, t('admin.rot.start'), ' ', timeEl(r.start), ' · ', t('admin.rot.shift'), ' ',
                fmtMinutes(r.shift_minutes), ` · ${r.time_zone}`),
            h('ol', { class: 'rot-members', testid: 'rotation-members' }, (r.members || []).map((id) => h('li', { text: personName(id) }))),
            h('h3', { text: t('admin.rot.overrides') }),
            overrides(ctx, key, r),
            can('duty.manage') ? overrideForm(ctx, key, r) : null);
    };
    show();
    return card;
}

function overrides(ctx, key, r) {
    if (!r.overrides || !r.overrides.length)
        return emptyState(t('duty.override.none'), 'overrides-none');
    return h('ul', { class: 'mini-list', testid: 'overrides' }, r.overrides.map((o) => {
        const rm = can('duty.manage') ? h('button', { type: 'button', class: 'small secondary', testid: 'override-remove', text: t('duty.override.remove') }) : null;
        if (rm)
            rm.addEventListener('click', () => busy(rm, async () => {
                try {
                    await api('DELETE', `/api/v1/groups/${encodeURIComponent(key)}/rotations/${r.id}/overrides/${o.id}`);
                    toast(t('saved'));
                    ctx.rerender();
                } catch (e) {
                    toast(messageOf(e), 'error');
                }
            }));
        return h('li', { testid: 'override', dataset: { id: o.id } }, h('strong', { text: personName(o.user_id) }), ': ',
            timeEl(o.start), ' – ', timeEl(o.end), ' ', rm);
    }));
}

function overrideForm(ctx, key, r) {
    const who = select(knownPeople().map((p) => ({ value: String(p.id), label: p.name })), { testid: 'override-user' });
    const from = h('input', { type: 'datetime-local', value: nowLocalInput(), testid: 'override-start' });
    const to = h('input', { type: 'datetime-local', value: nowLocalInput(12 * 60), testid: 'override-end' });
    const out = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'override-submit', text: t('duty.override.add') });
    const form = h('form', { class: 'inline-form', novalidate: true, 'aria-label': t('duty.override.add') },
        field(t('duty.override.who'), who), field(t('duty.override.from'), from), field(t('duty.override.to'), to), submit, out);
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        fieldError(to, null);
        const start = localInputToIso(from.value);
        const end = localInputToIso(to.value);
        if (!start || !end || end <= start) {
            fieldError(to, t('duty.override.bad_window'));
            to.focus();
            return;
        }
        busy(submit, async () => {
            try {
                await api('POST', `/api/v1/groups/${encodeURIComponent(key)}/rotations/${r.id}/overrides`,
                    { user_id: Number(who.value), start, end });
                toast(t('saved'));
                ctx.rerender();
            } catch (e) {
                out.append(errorBox(e, 'override-error'));
            }
        });
    });
    return form;
}

/**
 * The form of a rotation: a new one (r null) or r's (PATCH). Members are
 * an ordered list with up, down and remove, and a picker of the group's
 * members to add; done() shows the card again (edit only).
 */
function rotationEditor(ctx, key, r, members, done) {
    const name = h('input', { testid: 'rotation-name', maxlength: 128, value: r ? r.name : '' });
    const hours = h('input', { type: 'number', min: 1, max: 8784, step: 'any', testid: 'rotation-hours', value: r ? String(r.shift_minutes / 60) : '24' });
    const start = h('input', { type: 'datetime-local', testid: 'rotation-start', value: r ? isoToLocalInput(r.start) : nowLocalInput() });
    const tz = h('input', { testid: 'rotation-tz', value: r ? r.time_zone : 'Asia/Shanghai', autocomplete: 'off', spellcheck: 'false' });
    let order = r ? [...r.members] : members.map((m) => m.id);
    const list = h('ol', { class: 'rot-order', testid: 'rotation-order' });
    const draw = () => replace(list, order.map((id, i) => {
        const b = (label, testid, fn, disabled) => {
            const x = h('button', { type: 'button', class: 'small secondary', testid, text: label, disabled, 'aria-label': `${label}: ${personName(id)}` });
            x.addEventListener('click', () => { fn(); draw(); });
            return x;
        };
        return h('li', { dataset: { userId: id } }, h('span', { text: personName(id) }), ' ',
            b(t('duty.up'), 'order-up', () => { [order[i - 1], order[i]] = [order[i], order[i - 1]]; }, i === 0),
            b(t('duty.down'), 'order-down', () => { [order[i + 1], order[i]] = [order[i], order[i + 1]]; }, i === order.length - 1),
            b(t('duty.remove_member'), 'order-remove', () => { order = order.filter((x) => x !== id); }, false));
    }));
    draw();
    const add = select(members.map((m) => ({ value: String(m.id), label: m.label })), { testid: 'rotation-add-user' });
    const addBtn = h('button', { type: 'button', class: 'small secondary', testid: 'rotation-add', text: t('duty.add_member') });
    addBtn.addEventListener('click', () => {
        const id = Number(add.value);
        if (id && !order.includes(id)) {
            order.push(id);
            draw();
        }
    });
    const out = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'rotation-submit', text: r ? t('duty.save') : t('admin.rot.create') });
    const actions = [submit];
    if (r) {
        const cancel = h('button', { type: 'button', class: 'secondary', testid: 'rotation-cancel', text: t('duty.cancel') });
        cancel.addEventListener('click', () => done());
        const del = h('button', { type: 'button', class: 'danger', testid: 'rotation-delete', text: t('duty.delete') });
        del.addEventListener('click', () => {
            if (!window.confirm(t('duty.delete_confirm', { name: r.name })))
                return;
            busy(del, async () => {
                try {
                    await api('DELETE', `/api/v1/groups/${encodeURIComponent(key)}/rotations/${r.id}`);
                    toast(t('duty.deleted'));
                    ctx.rerender();
                } catch (e) {
                    out.append(errorBox(e));
                }
            });
        });
        actions.push(cancel, del);
    }
    const controls = { name, shift_minutes: hours, start, time_zone: tz, members: add };
    const form = h('form', { class: 'grid-form', novalidate: true, testid: r ? 'rotation-form-edit' : 'rotation-form' },
        field(t('admin.rot.name'), name), field(t('admin.rot.hours'), hours), field(t('admin.rot.start'), start),
        field(t('admin.rot.tz'), tz, { hint: 'Asia/Shanghai, UTC, Europe/Paris …' }),
        h('fieldset', { class: 'checks' }, h('legend', { text: t('admin.rot.members') }), list,
            h('div', { class: 'inline-form' }, field(t('duty.member_pick'), add), addBtn)),
        out, h('div', { class: 'form-actions' }, actions));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        for (const c of Object.values(controls))
            fieldError(c, null);
        if (!name.value.trim()) {
            fieldError(name, t('required'));
            name.focus();
            return;
        }
        if (!order.length) {
            fieldError(add, t('duty.no_members'));
            add.focus();
            return;
        }
        const json = {
            name: name.value.trim(), members: order, shift_minutes: Math.round(Number(hours.value) * 60),
            start: localInputToIso(start.value), time_zone: tz.value.trim(),
        };
        busy(submit, async () => {
            try {
                if (r)
                    await api('PATCH', `/api/v1/groups/${encodeURIComponent(key)}/rotations/${r.id}`, json, { version: r.version });
                else
                    await api('POST', `/api/v1/groups/${encodeURIComponent(key)}/rotations`, json);
                toast(t('saved'));
                ctx.rerender();
            } catch (e) {
                if (e.isConflict) {
                    showConflict(form, e, {
                        onLoad: () => ctx.rerender(),
                        onRetry: (n) => { r.version = n; form.requestSubmit(); },
                    });
                } else if (e.field && controls[e.field]) {
                    fieldError(controls[e.field], messageOf(e));
                    controls[e.field].focus();
                } else {
                    out.append(errorBox(e, 'rotation-error'));
                }
            }
        });
    });
    return r ? form : h('section', { class: 'card', 'aria-labelledby': 'rot-new' },
        h('h2', { id: 'rot-new', text: t('admin.rot.create') }), form);
}
