// The command room's tasks as the teams need them: a task's assignee
// (a member of the task's group), due time and notes, saved with
// PATCH /api/v1/tasks/{id}, and its history (the incident's timeline
// entries about that task, newest last). And the warning before resolving
// an incident with tasks still open or blocked.

import { api } from '../lib/api.js';
import { h, field, select, fieldError, newId } from '../lib/dom.js';
import { t, addTexts } from '../lib/i18n.js';
import { personName } from '../lib/people.js';
import { timeEl, localInputToIso, isoToLocalInput } from '../lib/time.js';
import { errorBox, busy, toast } from '../lib/ui.js';

addTexts({
    'zh-CN': {
        'taskx.details': '负责人、截止时间与备注',
        'taskx.assignee': '负责人',
        'taskx.nobody': '（未指定）',
        'taskx.due': '截止时间',
        'taskx.notes': '备注',
        'taskx.save': '保存任务',
        'taskx.saved': '任务已保存',
        'taskx.history': '任务记录',
        'taskx.no_history': '暂无记录',
        'taskx.created': '创建任务',
        'taskx.h.status': '状态：{from} → {to}',
        'taskx.h.assignee': '负责人：{from} → {to}',
        'taskx.h.due': '截止时间已改',
        'taskx.h.due_cleared': '截止时间已清除',
        'taskx.h.notes': '备注：{notes}',
        'taskx.h.title': '任务名称已改为：{to}',
        'taskx.h.updated': '状态：{status}',
        'taskx.resolve_warn': '仍有 {open} 项任务未完成、{blocked} 项任务受阻。确定要解除应急（事件处置完毕）吗？',
        'taskx.resolve_warn_short': '尚有 {open} 项未完成、{blocked} 项受阻的任务',
    },
    en: {
        'taskx.details': 'Assignee, due time and notes',
        'taskx.assignee': 'Assignee',
        'taskx.nobody': '(nobody yet)',
        'taskx.due': 'Due',
        'taskx.notes': 'Notes',
        'taskx.save': 'Save task',
        'taskx.saved': 'Task saved',
        'taskx.history': 'History',
        'taskx.no_history': 'Nothing yet',
        'taskx.created': 'Task created',
        'taskx.h.status': 'Status: {from} → {to}',
        'taskx.h.assignee': 'Assignee: {from} → {to}',
        'taskx.h.due': 'Due time changed',
        'taskx.h.due_cleared': 'Due time cleared',
        'taskx.h.notes': 'Notes: {notes}',
        'taskx.h.title': 'Renamed to: {to}',
        'taskx.h.updated': 'Status: {status}',
        'taskx.resolve_warn': '{open} task(s) are still open and {blocked} blocked. Resolve the incident anyway?',
        'taskx.resolve_warn_short': '{open} task(s) still open, {blocked} blocked',
    },
});

const members = new Map();

/** The members of group `key` ([{user_id, login, display_name}]), fetched once a page. */
export function groupMembers(key) {
    if (!members.has(key))
        members.set(key, api('GET', `/api/v1/groups/${encodeURIComponent(key)}`)
            .then((g) => g.members || [])
            .catch((e) => {
                members.delete(key);
                throw e;
            }));
    return members.get(key);
}

/** Forget the members fetched (a new page). */
export function resetMembers() {
    members.clear();
}

/** Open (todo, doing) and blocked tasks among `tasks`. */
export function taskCounts(tasks) {
    let open = 0;
    let blocked = 0;
    for (const x of tasks) {
        if (x.status === 'todo' || x.status === 'doing')
            open++;
        else if (x.status === 'blocked')
            blocked++;
    }
    return { open, blocked };
}

/** The line warning of open or blocked tasks for the resolve form, or null. */
export function resolveWarning(tasks) {
    const c = taskCounts(tasks);
    if (!c.open && !c.blocked)
        return null;
    return h('p', { class: 'warning', role: 'alert', testid: 'resolve-open-tasks', text: t('taskx.resolve_warn_short', c) });
}

/** Ask before resolving with tasks open or blocked: true to go ahead. */
export function confirmResolve(tasks) {
    const c = taskCounts(tasks);
    if (!c.open && !c.blocked)
        return true;
    return window.confirm(t('taskx.resolve_warn', c));
}

function statusName(s) {
    return s ? t(`task.${s}`) : '—';
}

function historyText(e) {
    const d = e.data || {};
    if (d.change === 'created')
        return [t('taskx.created')];
    const ch = d.changes || {};
    const out = [];
    if (ch.status)
        out.push(t('taskx.h.status', { from: statusName(ch.status.from), to: statusName(ch.status.to) }));
    if (ch.assignee_id)
        out.push(t('taskx.h.assignee', {
            from: ch.assignee_id.from ? personName(ch.assignee_id.from) : t('taskx.nobody'),
            to: ch.assignee_id.to ? personName(ch.assignee_id.to) : t('taskx.nobody'),
        }));
    if (ch.due_at)
        out.push(ch.due_at.to ? t('taskx.h.due') : t('taskx.h.due_cleared'));
    if (ch.title)
        out.push(t('taskx.h.title', { to: ch.title.to }));
    if (ch.notes !== undefined)
        out.push(t('taskx.h.notes', { notes: ch.notes }));
    if (!out.length && d.status)
        out.push(t('taskx.h.updated', { status: statusName(d.status) }));
    return out;
}

/** The history of a task: the timeline entries about it, oldest first. */
export function taskHistory(task, entries) {
    const list = [...entries].filter((e) => e.kind === 'task' && e.data && e.data.task === task.id)
        .sort((a, b) => a.id - b.id);
    if (!list.length)
        return h('p', { class: 'muted small', testid: 'task-history', text: t('taskx.no_history') });
    return h('ol', { class: 'task-history small', testid: 'task-history' }, list.map((e) =>
        h('li', { testid: 'task-history-entry' }, timeEl(e.at), ' ',
            h('span', { class: 'muted', text: personName(e.actor_id) }), ' ',
            historyText(e).join(t('list.sep')))));
}

/**
 * The task's details: a disclosure with its assignee, due time and notes
 * (a form when mayEdit) and its history. onSaved(task) gets the task
 * after a save. The form keeps what was typed when saving fails.
 */
export function taskDetails(task, entries, { mayEdit, onSaved, open = false }) {
    const body = [];
    const historySlot = h('div', { class: 'slot' }, taskHistory(task, entries));
    if (mayEdit) {
        const assignee = select([{ value: '', label: t('taskx.nobody') }], { testid: 'task-assignee', name: 'assignee_id' });
        if (task.assignee_id)
            assignee.append(h('option', { value: String(task.assignee_id), text: personName(task.assignee_id) }));
        assignee.value = task.assignee_id ? String(task.assignee_id) : '';
        groupMembers(task.group).then((list) => {
            const keep = assignee.value;
            assignee.replaceChildren(h('option', { value: '', text: t('taskx.nobody') }),
                ...list.map((m) => h('option', { value: String(m.user_id), text: m.display_name || m.login })));
            if (keep && ![...assignee.options].some((o) => o.value === keep))
                assignee.append(h('option', { value: keep, text: personName(Number(keep)) }));
            assignee.value = keep;
        }).catch(() => {});
        const due = h('input', { type: 'datetime-local', testid: 'task-due', name: 'due_at', value: task.due_at ? isoToLocalInput(task.due_at) : '' });
        const notes = h('textarea', { rows: 3, testid: 'task-notes', name: 'notes', maxlength: 20000 });
        notes.value = task.notes || '';
        const slot = h('div', { class: 'slot' });
        const submit = h('button', { type: 'submit', class: 'secondary small', testid: 'task-save', text: t('taskx.save') });
        const form = h('form', { class: 'task-form stack', novalidate: true, testid: 'task-form' },
            field(t('taskx.assignee'), assignee), field(t('taskx.due'), due), field(t('taskx.notes'), notes),
            slot, h('div', { class: 'form-actions' }, submit));
        form.addEventListener('submit', async (ev) => {
            ev.preventDefault();
            slot.replaceChildren();
            for (const c of [assignee, due, notes])
                fieldError(c, null);
            const patch = {};
            const a = assignee.value ? Number(assignee.value) : 0;
            if (a !== (task.assignee_id || 0))
                patch.assignee_id = a;
            const iso = due.value ? localInputToIso(due.value) : null;
            if (due.value && !iso) {
                fieldError(due, t('required'));
                due.focus();
                return;
            }
            if ((iso || null) !== (task.due_at || null) && !(iso && task.due_at && Date.parse(iso) === Date.parse(task.due_at)))
                patch.due_at = iso;
            if (notes.value !== (task.notes || ''))
                patch.notes = notes.value;
            if (!Object.keys(patch).length)
                return;
            if (patch.due_at === null)
                delete patch.due_at;
            await busy(submit, async () => {
                try {
                    const next = await api('PATCH', `/api/v1/tasks/${task.id}`, patch, { version: task.version });
                    toast(t('taskx.saved'));
                    onSaved(next);
                } catch (e) {
                    const f = { assignee_id: assignee, due_at: due, notes }[e.field];
                    if (f) {
                        fieldError(f, e.message);
                        f.focus();
                    } else {
                        slot.append(errorBox(e, 'task-error'));
                    }
                }
            });
        });
        body.push(form);
    } else {
        body.push(h('dl', { class: 'meta small' },
            h('dt', { text: t('taskx.assignee') }), h('dd', { text: task.assignee_id ? personName(task.assignee_id) : t('taskx.nobody') }),
            h('dt', { text: t('taskx.due') }), h('dd', {}, task.due_at ? timeEl(task.due_at) : '—'),
            h('dt', { text: t('taskx.notes') }), h('dd', { class: 'prewrap', text: task.notes || '—' })));
    }
    const id = newId('task-history');
    body.push(h('h4', { id, class: 'small', text: t('taskx.history') }), historySlot);
    const details = h('details', { class: 'task-details', testid: 'task-details', open },
        h('summary', { text: t('taskx.details') }), body);
    return details;
}
