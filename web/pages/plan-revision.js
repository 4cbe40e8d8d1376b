// Plan revision on #/plans: a new draft (from the version in force, or
// answering an incident's review), the YAML editor of a draft with live
// validation (line:column, marked in the gutter), and the difference
// between two versions by section and item with the words that changed.

import { api, qs } from '../lib/api.js';
import { h, replace, field } from '../lib/dom.js';
import { t, tx, addTexts } from '../lib/i18n.js';
import { errorBox, emptyState, toast, busy, showConflict } from '../lib/ui.js';

addTexts({
    'zh-CN': {
        'rev.new': '新建修订稿',
        'rev.new.sub': '以现行版本为底稿，或针对某次事件总结中的问题修订。',
        'rev.new.from_current': '以现行版本新建草稿',
        'rev.new.review': '答复事件总结（事件编号，可不填）',
        'rev.new.done': '已新建第 {n} 版草稿',
        'rev.editor': '编辑草稿（第 {n} 版）',
        'rev.editor.label': '预案文件（YAML）',
        'rev.editor.hint': '输入时自动校验；错误会标在对应行上，点击错误可跳到该位置。',
        'rev.editor.save': '保存草稿',
        'rev.editor.saved': '草稿已保存',
        'rev.editor.checking': '正在校验…',
        'rev.editor.valid': '校验通过，没有发现问题。',
        'rev.editor.problems': '发现 {n} 个问题：',
        'rev.editor.fix_first': '请先修正文件中的问题再保存。',
        'rev.editor.line': '第 {l} 行，第 {c} 列',
        'rev.findings': '本稿答复的问题',
        'rev.findings.from': '来自 {number} 的事件总结',
        'rev.based_on': '以第 {n} 版为底稿',
        'rev.diff.section.other': '其他',
        'rev.diff.plan': '预案基本信息',
        'rev.diff.item_removed': '删除',
        'rev.diff.item_added': '新增',
        'rev.diff.changes': '{n} 处变更',
        'rev.ack.changes': '与第 {n} 版相比的变更',
        'rev.ack.read_first': '请先阅读以下变更，再确认已学习。',
        'rev.pending': '待审批的预案',
        'rev.pending.item': '{name} 第 {n} 版',
        'rev.step.approve': '待批准',
        'rev.step.reject': '可退回',
        'rev.step.publish': '待发布',
    },
    en: {
        'rev.new': 'New revision',
        'rev.new.sub': 'Start from the version in force, optionally answering the findings of an incident review.',
        'rev.new.from_current': 'New draft from the version in force',
        'rev.new.review': 'Answers the review of incident (number, optional)',
        'rev.new.done': 'Draft version {n} created',
        'rev.editor': 'Edit draft (version {n})',
        'rev.editor.label': 'Plan file (YAML)',
        'rev.editor.hint': 'Checked as you type; problems are marked at their line, and clicking one moves there.',
        'rev.editor.save': 'Save draft',
        'rev.editor.saved': 'Draft saved',
        'rev.editor.checking': 'Checking…',
        'rev.editor.valid': 'Valid: no problems found.',
        'rev.editor.problems': '{n} problem(s):',
        'rev.editor.fix_first': 'Fix the problems in the file before saving.',
        'rev.editor.line': 'line {l}, column {c}',
        'rev.findings': 'Findings this draft answers',
        'rev.findings.from': 'From the review of {number}',
        'rev.based_on': 'Based on version {n}',
        'rev.diff.section.other': 'Other',
        'rev.diff.plan': 'The plan',
        'rev.diff.item_removed': 'Removed',
        'rev.diff.item_added': 'Added',
        'rev.diff.changes': '{n} change(s)',
        'rev.ack.changes': 'Changes since version {n}',
        'rev.ack.read_first': 'Read the changes below before you acknowledge.',
        'rev.pending': 'Plans awaiting you',
        'rev.pending.item': '{name}, version {n}',
        'rev.step.approve': 'to approve',
        'rev.step.reject': 'may send back',
        'rev.step.publish': 'to publish',
    },
});

// ---- word-level differences --------------------------------------------------

const TOKEN = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|[\p{L}\p{N}_]+|\s+|./gsu;
const TOKENS_MAX = 1500;

/** The words (a CJK character is a word) of a and b, as [{op, text}]. */
export function wordDiff(a, b) {
    const x = String(a).match(TOKEN) || [];
    const y = String(b).match(TOKEN) || [];
    if (x.length > TOKENS_MAX || y.length > TOKENS_MAX)
        return [{ op: '-', text: String(a) }, { op: '+', text: String(b) }];
    const w = y.length + 1;
    const dp = new Uint16Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--)
        for (let j = y.length - 1; j >= 0; j--)
            dp[i * w + j] = x[i] === y[j] ? dp[(i + 1) * w + j + 1] + 1
                : Math.max(dp[(i + 1) * w + j], dp[i * w + j + 1]);
    const out = [];
    const push = (op, s) => {
        const last = out[out.length - 1];
        if (last && last.op === op)
            last.text += s;
        else
            out.push({ op, text: s });
    };
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
        if (i < x.length && j < y.length && x[i] === y[j]) {
            push('=', x[i]);
            i++;
            j++;
        } else if (j < y.length && (i === x.length || dp[i * w + j + 1] >= dp[(i + 1) * w + j])) {
            push('+', y[j++]);
        } else {
            push('-', x[i++]);
        }
    }
    return out;
}

function wordsEl(a, b, testid) {
    return h('div', { class: 'diff-words', testid }, wordDiff(a, b).map((p) =>
        p.op === '=' ? document.createTextNode(p.text)
            : h(p.op === '+' ? 'ins' : 'del', { text: p.text })));
}

// ---- the difference by section and item -------------------------------------

const SECTIONS = {
    groups: 'plandoc.groups', categories: 'plandoc.categories', levels: 'plandoc.levels',
    escalation: 'plandoc.escalation', drills: 'plandoc.drills', sections: 'plandoc.title',
};

function valueText(v) {
    if (v === undefined || v === null)
        return '';
    if (typeof v === 'object' && !Array.isArray(v) && ('zh-CN' in v || 'en' in v))
        return tx(v);
    if (typeof v === 'object' && !Array.isArray(v)) {
        const name = v.name || v.title;
        if (name)
            return tx(name);
    }
    return typeof v === 'string' ? v : JSON.stringify(v);
}

function itemName(content, section, key) {
    const list = content && Array.isArray(content[section]) ? content[section] : [];
    const it = list.find((x) => x.key === key || x.category === key || tx(x.title) === key);
    if (!it)
        return key;
    return tx(it.name || it.title) || key;
}

function changeEl(c) {
    const label = c.field || '';
    const parts = [];
    if (c.op === 'text' && Array.isArray(c.lines)) {
        // Neighbouring removed and added lines are shown word by word.
        const rows = [];
        for (let k = 0; k < c.lines.length; k++) {
            const l = c.lines[k];
            const next = c.lines[k + 1];
            if (l.op === '-' && next && next.op === '+') {
                rows.push(h('div', { class: 'line changed' }, wordsEl(l.text, next.text)));
                k++;
            } else if (l.op !== ' ') {
                rows.push(h('div', { class: ['line', l.op === '+' ? 'add' : 'del'] },
                    h(l.op === '+' ? 'ins' : 'del', { text: l.text || ' ' })));
            }
        }
        parts.push(h('div', { class: 'diff-lines' }, rows));
    } else if (c.op === 'changed' && typeof c.from !== 'object' && typeof c.to !== 'object') {
        parts.push(wordsEl(String(c.from), String(c.to), 'plan-diff-words'));
    } else {
        if (c.op !== 'added')
            parts.push(h('div', { class: 'diff-val del' }, h('span', { class: 'sr-only', text: t('diff.before') }), '− ', valueText(c.from)));
        if (c.op !== 'removed')
            parts.push(h('div', { class: 'diff-val add' }, h('span', { class: 'sr-only', text: t('diff.after') }), '+ ', valueText(c.to)));
    }
    return h('li', { testid: 'plan-diff-change', dataset: { op: c.op, path: c.path } },
        h('div', { class: 'change-head' }, h('span', { class: ['badge', `op-${c.op}`], text: t(`diff.${c.op}`) }),
            label ? h('code', { class: 'path', text: ` ${label}` }) : null),
        parts);
}

/*
 * A measure (or drill rule) reworded is, by identity, one removed and one
 * added of the same list: shown as one change, word by word.
 */
function pairReworded(list) {
    const listOf = (c) => (c.field || '').split('[')[0];
    const out = [];
    const used = new Set();
    list.forEach((c, i) => {
        if (used.has(i))
            return;
        if (c.op === 'removed' && c.field && c.field.includes('[')) {
            const j = list.findIndex((d, k) => k > i && !used.has(k) && d.op === 'added' &&
                listOf(d) === listOf(c) && d.field.includes('['));
            if (j > 0) {
                used.add(j);
                out.push({ ...c, op: 'changed', field: listOf(c), from: valueText(c.from), to: valueText(list[j].to) });
                return;
            }
        }
        out.push(c);
    });
    return out;
}

/**
 * The changes of a diff answer ({changes: [{section, item, field, ...}]})
 * grouped by section and item; names looked up in the two contents.
 */
export function diffView(d, fromContent, toContent) {
    const changes = (d && d.changes) || [];
    if (!changes.length)
        return emptyState(t('plan.diff.none'), 'plan-diff-empty');
    const bySection = new Map();
    for (const c of changes) {
        const s = c.section || '';
        if (!bySection.has(s))
            bySection.set(s, new Map());
        const items = bySection.get(s);
        const key = c.item || '';
        if (!items.has(key))
            items.set(key, []);
        items.get(key).push(c);
    }
    const blocks = [];
    for (const [section, items] of bySection) {
        const title = SECTIONS[section] ? t(SECTIONS[section]) : t('rev.diff.plan');
        blocks.push(h('section', { class: 'diff-section', testid: 'plan-diff-section', dataset: { section } },
            h('h3', { text: title }),
            [...items].map(([item, list]) => {
                const whole = list.length === 1 && !list[0].field && (list[0].op === 'added' || list[0].op === 'removed');
                const name = item ? itemName(toContent, section, item) || itemName(fromContent, section, item) : '';
                const shownName = item && name === item ? itemName(fromContent, section, item) : name;
                return h('div', { class: 'diff-item', testid: 'plan-diff-item', dataset: { item } },
                    item ? h('h4', {}, shownName, shownName !== item ? h('code', { class: 'muted small', text: ` ${item}` }) : null,
                        whole ? h('span', { class: ['badge', `op-${list[0].op}`], text: ` ${t(list[0].op === 'added' ? 'rev.diff.item_added' : 'rev.diff.item_removed')}` }) : null) : null,
                    h('ul', { class: 'diff', testid: 'plan-diff' }, pairReworded(list).map(changeEl)));
            })));
    }
    return h('div', { class: 'diff-view', testid: 'plan-diff-view' },
        h('p', { class: 'muted small', testid: 'plan-diff-count', text: t('rev.diff.changes', { n: changes.length }) }), blocks);
}

// ---- a new draft ---------------------------------------------------------------

export function newDraftCard(ctx, plan) {
    const review = h('input', { testid: 'plan-draft-review', maxlength: 32, autocomplete: 'off' });
    const go = h('button', { type: 'submit', class: 'secondary', testid: 'plan-draft-new', text: t('rev.new.from_current') });
    const out = h('div', { class: 'slot' });
    const form = h('form', { class: 'stack', novalidate: true },
        field(t('rev.new.review'), review), out, h('div', { class: 'form-actions' }, go));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        busy(go, async () => {
            try {
                const body = review.value.trim() ? { from_review: review.value.trim() } : {};
                const v = await api('POST', `/api/v1/plans/${encodeURIComponent(plan.key)}/versions`, body);
                toast(t('rev.new.done', { n: v.n }));
                ctx.navigate(`#/plans${qs({ plan: plan.key, v: v.n })}`);
            } catch (e) {
                out.append(errorBox(e, 'plan-draft-error'));
            }
        });
    });
    return h('section', { class: 'card', testid: 'plan-new-draft', 'aria-labelledby': 'plan-new-title' },
        h('h2', { id: 'plan-new-title', text: t('rev.new') }),
        h('p', { class: 'muted small', text: t('rev.new.sub') }), form);
}

/** What a draft answers: the version it copies and a review's findings. */
export function basisNote(v) {
    const b = v.based_on;
    if (!b)
        return null;
    return h('section', { class: 'card', testid: 'plan-basis', 'aria-labelledby': 'plan-basis-title' },
        h('h2', { id: 'plan-basis-title', text: b.findings && b.findings.length ? t('rev.findings') : t('rev.based_on', { n: b.from_n }) }),
        b.findings && b.findings.length ? [
            h('p', { class: 'muted small' }, t('rev.based_on', { n: b.from_n }), ' · ',
                b.incident ? h('a', { href: `#/incidents/${encodeURIComponent(b.incident.number)}`, text: t('rev.findings.from', { number: b.incident.number }) }) : null),
            h('ul', { class: 'findings', testid: 'plan-findings' }, b.findings.map((f) => h('li', { text: f.title })))] : null);
}

// ---- the editor --------------------------------------------------------------

const VALIDATE_MS = 400;

/** The offset in text of line:column (both from 1; column in characters). */
function offsetOf(text, line, column) {
    let off = 0;
    for (let l = 1; l < line; l++) {
        const nl = text.indexOf('\n', off);
        if (nl < 0)
            return text.length;
        off = nl + 1;
    }
    const end = text.indexOf('\n', off);
    const lineText = text.slice(off, end < 0 ? text.length : end);
    return off + [...lineText].slice(0, Math.max(0, column - 1)).join('').length;
}

export function editorCard(ctx, plan, v) {
    const key = encodeURIComponent(plan.key);
    const area = h('textarea', {
        class: 'code yaml-input', testid: 'plan-editor-yaml', spellcheck: 'false', wrap: 'off',
        rows: 24, autocapitalize: 'off', autocomplete: 'off',
    });
    const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true', testid: 'plan-editor-gutter' });
    const status = h('p', { class: 'muted small', role: 'status', testid: 'plan-editor-status' });
    const list = h('ul', { class: 'problems', testid: 'plan-editor-problems' });
    const out = h('div', { class: 'slot' });
    const save = h('button', { type: 'submit', class: 'primary', testid: 'plan-editor-save', text: t('rev.editor.save') });
    let errors = [];
    let timer = 0;
    let seq = 0;

    const paintGutter = () => {
        const n = area.value.split('\n').length;
        const bad = new Map();
        for (const e of errors)
            if (!bad.has(e.line))
                bad.set(e.line, e.message);
        const rows = [];
        for (let i = 1; i <= n; i++)
            rows.push(h('div', {
                class: ['ln', bad.has(i) ? 'err' : ''], dataset: { line: i },
                title: bad.get(i), text: String(i),
            }));
        gutter.replaceChildren(...rows);
        gutter.scrollTop = area.scrollTop;
    };
    const moveTo = (e) => {
        const off = offsetOf(area.value, e.line, e.column);
        area.focus();
        area.setSelectionRange(off, off);
        const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
        area.scrollTop = Math.max(0, (e.line - 3) * lineHeight);
        gutter.scrollTop = area.scrollTop;
    };
    const showProblems = () => {
        list.replaceChildren(...errors.map((e) => {
            const b = h('button', { type: 'button', class: 'link-button', testid: 'plan-editor-problem', dataset: { line: e.line, column: e.column } },
                h('code', { text: `${e.line}:${e.column}` }), ' ', e.message);
            b.addEventListener('click', () => moveTo(e));
            return h('li', {}, b);
        }));
        status.textContent = errors.length ? t('rev.editor.problems', { n: errors.length }) : t('rev.editor.valid');
        status.classList.toggle('warn', errors.length > 0);
        status.classList.toggle('ok', errors.length === 0);
        if (errors.length)
            area.setAttribute('aria-invalid', 'true');
        else
            area.removeAttribute('aria-invalid');
        paintGutter();
    };
    const validate = async () => {
        const mine = ++seq;
        status.textContent = t('rev.editor.checking');
        try {
            const r = await api('POST', '/api/v1/plans/validate', { yaml: area.value, file: v.file || 'plan.yaml' });
            if (mine !== seq || !ctx.alive())
                return;
            errors = r.errors || [];
            showProblems();
        } catch (e) {
            if (mine === seq)
                replace(out, errorBox(e, 'plan-editor-error'));
        }
    };
    area.addEventListener('input', () => {
        paintGutter();
        clearTimeout(timer);
        timer = setTimeout(validate, VALIDATE_MS);
    });
    area.addEventListener('scroll', () => { gutter.scrollTop = area.scrollTop; });
    area.addEventListener('keydown', (ev) => {
        // Tab indents with two spaces; Escape leaves the editor (keyboard users).
        if (ev.key === 'Tab' && !ev.shiftKey && !ev.ctrlKey && !ev.altKey && !ev.metaKey) {
            ev.preventDefault();
            area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end');
            area.dispatchEvent(new Event('input'));
        } else if (ev.key === 'Escape') {
            save.focus();
        }
    });
    ctx.onCleanup(() => clearTimeout(timer));

    const form = h('form', { class: 'stack', novalidate: true },
        field(t('rev.editor.label'), h('div', { class: 'editor' }, gutter, area), { hint: t('rev.editor.hint') }),
        status, list, out, h('div', { class: 'form-actions' }, save));
    // The field wrapped the control: label it by the textarea's own id.
    const lab = form.querySelector('label');
    if (!area.id)
        area.id = `plan-editor-${v.n}`;
    if (lab)
        lab.htmlFor = area.id;
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        if (errors.length) {
            out.append(h('p', { class: 'alert error', role: 'alert', testid: 'plan-editor-fix', text: t('rev.editor.fix_first') }));
            moveTo(errors[0]);
            return;
        }
        busy(save, async () => {
            try {
                const body = { yaml: area.value, file: v.file || 'plan.yaml' };
                await api('PUT', `/api/v1/plans/${key}/versions/${v.n}`, body, { version: v.version });
                toast(t('rev.editor.saved'));
                ctx.navigate(`#/plans${qs({ plan: plan.key, v: v.n })}`);
            } catch (e) {
                if (e.isConflict) {
                    // Somebody saved the draft meanwhile: keep this text,
                    // say who, and let the author load theirs or save over.
                    showConflict(form, e, {
                        onLoad: () => ctx.rerender(),
                        onRetry: (n) => { v.version = n; form.requestSubmit(); },
                    });
                    return;
                }
                if (e.details) {
                    errors = e.details;
                    showProblems();
                }
                out.append(errorBox(e, 'plan-editor-error'));
            }
        });
    });
    // The file as written (comments kept), else the version exported.
    const start = (text) => {
        area.value = typeof text === 'string' ? text : '';
        paintGutter();
        validate();
    };
    if (v.source)
        setTimeout(() => start(v.source), 0);
    else
        api('GET', `/api/v1/plans/${key}/versions/${v.n}/export`).then((text) => {
            if (ctx.alive())
                start(text);
        }).catch((e) => replace(out, errorBox(e, 'plan-editor-error')));
    return h('section', { class: 'card plan-editor', testid: 'plan-editor', 'aria-labelledby': 'plan-editor-title' },
        h('h2', { id: 'plan-editor-title', text: t('rev.editor', { n: v.n }) }), form);
}
