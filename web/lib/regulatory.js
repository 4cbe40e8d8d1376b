// The regulator's clock (《国家网络安全事件报告管理办法》): an incident's
// `regulatory` as a short badge (dashboard, incident list) or a precise
// countdown (the command room), both kept live by one ticker here.

import { h } from './dom.js';
import { t, addTexts } from './i18n.js';
import { fmtDuration, fmtMinutes } from './time.js';
import { can } from './session.js';

addTexts({
    'zh-CN': {
        'reg.short.due': '监管报告 剩 {d}',
        'reg.short.due_soon': '监管报告 剩不到 1 分钟',
        'reg.short.late': '监管报告 逾期 {d}',
        'reg.short.reported': '已向监管报告',
        'reg.short.closed': '监管报告义务已关闭',
        'reg.short.drill': '（演练）',
        'reg.left': '剩 {d}',
        'reg.over': '逾期 {d}',
        'reg.status.due': '待报',
        'reg.status.reported': '已按时首报',
        'reg.status.late': '逾期',
        'reg.status.closed': '已关闭',
        'reg.operator.cii': '关键信息基础设施运营者（1 小时内）',
        'reg.operator.central': '中央和国家机关及直属单位（2 小时内）',
        'reg.operator.other': '其他网络运营者（4 小时内）',
        'reg.national.I': 'Ⅰ级（特别重大）',
        'reg.national.II': 'Ⅱ级（重大）',
        'reg.national.III': 'Ⅲ级（较大）',
        'reg.national.IV': 'Ⅳ级（一般）',
        'reg.kind.first': '首报',
        'reg.kind.follow_up': '续报',
        'reg.kind.final': '总结报告',
        'reg.via.phone': '电话',
        'reg.via.fax': '传真',
        'reg.via.email': '电子邮件',
        'reg.via.platform': '报送平台',
        'reg.via.letter': '书面函件',
        'reg.minutes': '{n} 分钟',
    },
    en: {
        'reg.short.due': 'Regulator report due in {d}',
        'reg.short.due_soon': 'Regulator report due in under a minute',
        'reg.short.late': 'Regulator report late by {d}',
        'reg.short.reported': 'Reported to the regulator',
        'reg.short.closed': 'Regulator report no longer required',
        'reg.short.drill': ' (drill)',
        'reg.left': '{d} left',
        'reg.over': 'late by {d}',
        'reg.status.due': 'due',
        'reg.status.reported': 'reported on time',
        'reg.status.late': 'late',
        'reg.status.closed': 'closed',
        'reg.operator.cii': 'Critical information infrastructure (within 1 hour)',
        'reg.operator.central': 'Central or state organ (within 2 hours)',
        'reg.operator.other': 'Other network operator (within 4 hours)',
        'reg.national.I': 'I (特别重大, extraordinarily serious)',
        'reg.national.II': 'II (重大, major)',
        'reg.national.III': 'III (较大, serious)',
        'reg.national.IV': 'IV (一般, ordinary)',
        'reg.kind.first': 'First report',
        'reg.kind.follow_up': 'Follow-up',
        'reg.kind.final': 'Final report',
        'reg.via.phone': 'Phone',
        'reg.via.fax': 'Fax',
        'reg.via.email': 'E-mail',
        'reg.via.platform': 'Reporting platform',
        'reg.via.letter': 'Letter',
        'reg.minutes': '{n} min',
    },
});

export const REPORT_KINDS = ['first', 'follow_up', 'final'];
export const VIAS = ['phone', 'fax', 'email', 'platform', 'letter'];
export const OPERATOR_TYPES = ['cii', 'central', 'other'];

/** A text of the table, or the raw value when there is none. */
export function label(prefix, v) {
    if (v === null || v === undefined || v === '')
        return '—';
    const k = `${prefix}.${v}`;
    const s = t(k);
    return s === k ? String(v) : s;
}

/** Whether this user records reports (the right regulatory.record: command HQ and the leadership). */
export function mayRecordReports() {
    return can('regulatory.record');
}

/** Whole minutes as "37 分钟" / "37 min", hours when more than one. */
function minutesText(min) {
    return min < 60 ? t('reg.minutes', { n: min }) : fmtMinutes(min);
}

/** A late first report's delay: what the API says, else the time since the deadline. */
function lateMinutes(reg, now) {
    if (reg.late_by_min !== null && reg.late_by_min !== undefined && (reg.first_report_at || reg.status !== 'late'))
        return reg.late_by_min;
    const dl = Date.parse(reg.deadline_at);
    return Math.max(reg.late_by_min || 0, Math.floor((now - dl) / 60000));
}

function updateShort(el, now) {
    const reg = JSON.parse(el.dataset.reg);
    const dl = Date.parse(reg.deadline_at);
    let text;
    let state = reg.status;
    if (reg.status === 'due' && !Number.isNaN(dl) && dl <= now)
        state = 'late';
    if (state === 'due') {
        const left = Math.floor((dl - now) / 60000);
        text = left < 1 ? t('reg.short.due_soon') : t('reg.short.due', { d: minutesText(left) });
    } else if (state === 'late') {
        text = t('reg.short.late', { d: minutesText(Math.max(1, lateMinutes(reg, now))) });
    } else {
        text = t(`reg.short.${state}`);
    }
    if (reg.drill)
        text += t('reg.short.drill');
    if (el.textContent !== text)
        el.textContent = text;
    el.dataset.state = state;
    el.classList.toggle('reg-late', state === 'late');
    el.classList.toggle('reg-soon', state === 'due' && dl - now < 15 * 60000);
}

function updatePrecise(el, now) {
    const reg = JSON.parse(el.dataset.reg);
    const dl = Date.parse(reg.deadline_at);
    if (Number.isNaN(dl))
        return;
    let text;
    let late = false;
    if (reg.status === 'due' || reg.status === 'late' && !reg.first_report_at) {
        late = now >= dl;
        text = late ? t('reg.over', { d: fmtDuration(now - dl) }) : t('reg.left', { d: fmtDuration(dl - now) });
    } else if (reg.status === 'late') {
        late = true;
        text = t('reg.over', { d: minutesText(lateMinutes(reg, now)) });
    } else {
        text = label('reg.status', reg.status);
    }
    if (el.textContent !== text)
        el.textContent = text;
    el.classList.toggle('reg-late', late);
    el.classList.toggle('reg-soon', !late && reg.status === 'due' && dl - now < 15 * 60000);
}

function update(el, now) {
    if (el.dataset.mode === 'precise')
        updatePrecise(el, now);
    else
        updateShort(el, now);
}

let ticking = null;

function startTicker() {
    if (ticking)
        return;
    ticking = setInterval(() => {
        const now = Date.now();
        for (const el of document.querySelectorAll('.reg-clock[data-reg]'))
            update(el, now);
    }, 1000);
}

function clockEl(reg, mode, testid) {
    const el = h('span', {
        class: ['reg-clock', mode === 'precise' ? 'timer' : 'badge'], testid,
        dataset: { reg: JSON.stringify(reg), mode, status: reg.status },
        role: mode === 'precise' ? 'timer' : null,
    });
    update(el, Date.now());
    startTicker();
    return el;
}

/**
 * The short badge of an incident's obligation ("监管报告 剩 37 分钟",
 * "Regulator report late by 12 min", "Reported to the regulator"); null
 * when none was ever opened.
 */
export function regulatoryBadge(inc, testid = 'reg-badge') {
    const reg = inc && inc.regulatory;
    if (!reg || !reg.required || !reg.status)
        return null;
    return clockEl(reg, 'short', testid);
}

/** The command room's countdown to the deadline, to the second. */
export function regulatoryCountdown(reg, testid = 'reg-countdown') {
    return clockEl(reg, 'precise', testid);
}
