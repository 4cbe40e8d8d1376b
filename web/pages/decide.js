// The decision in the command room: command HQ's acknowledgement with its
// assessment and proposed level (研判, 提出定级建议), shown to the
// leadership when they decide on activation; and the leadership deciding
// themselves when command HQ stayed silent and the reporting chain reached
// them (the incident's chain_reached_leadership).

import { h, field, select } from '../lib/dom.js';
import { t, tx, addTexts } from '../lib/i18n.js';
import { can, session } from '../lib/session.js';
import { sortedLevels, levelName } from '../lib/plan.js';

addTexts({
    'zh-CN': {
        'decide.assessment': '研判意见',
        'decide.assessment.hint': '事件的性质、影响范围和发展趋势，供领导小组决策',
        'decide.proposed_level': '建议响应级别',
        'decide.no_level': '（暂不建议）',
        'decide.hq_said': '应急指挥部的研判',
        'decide.no_assessment': '指挥部未填写研判意见',
        'decide.escalated': '应急指挥部未确认，报告链已通知领导小组：领导小组可直接确认、决定启动或撤销。',
        'decide.escalated.short': '已上报至领导小组',
        'decide.tl.assessment': '研判：{text}',
        'decide.tl.assessment_level': '研判：{text}（建议级别：{level}）',
        'decide.tl.inject': '演练情景注入（第 {minute} 分钟）：{text}',
    },
    en: {
        'decide.assessment': 'Assessment',
        'decide.assessment.hint': 'What the incident is, how far it reaches and where it is heading, for the leadership to decide',
        'decide.proposed_level': 'Proposed level',
        'decide.no_level': '(none proposed)',
        'decide.hq_said': "Command HQ's assessment",
        'decide.no_assessment': 'Command HQ wrote no assessment',
        'decide.escalated': 'Command HQ has not acknowledged and the reporting chain has reached the leadership group: the leadership may acknowledge, activate or dismiss themselves.',
        'decide.escalated.short': 'Escalated to the leadership',
        'decide.tl.assessment': 'Assessment: {text}',
        'decide.tl.assessment_level': 'Assessment: {text} (proposed level: {level})',
        'decide.tl.inject': 'Drill inject (minute {minute}): {text}',
    },
});

/** Is the signed-in user a member of the plan's leadership group? */
function inLeadership() {
    return session.groups.some((g) => g.kind === 'leadership');
}

/** May the user take step `action` on inc as a leader the chain reached
 * (acknowledge; activate or dismiss a report nobody acknowledged)? */
export function leadershipMay(inc, action) {
    return Boolean(inc.chain_reached_leadership) && inc.status === 'reported' && inLeadership() &&
        ['ack', 'activate', 'dismiss'].includes(action);
}

/** Filter the steps the rights allow: activating straight from `reported`
 * is the leadership's only once the chain has reached them. */
export function decisionAllowed(inc, action, byRights) {
    if (inc.status === 'reported' && action === 'activate')
        return leadershipMay(inc, action);
    return byRights || leadershipMay(inc, action);
}

/** The banner over the steps when the chain reached the leadership. */
export function escalationNote(inc) {
    if (!leadershipMay(inc, 'ack'))
        return null;
    return h('p', { class: 'notice', role: 'status', testid: 'leadership-escalated', text: t('decide.escalated') });
}

function levelSelect(content, value, testid) {
    const opts = [{ value: '', label: t('decide.no_level') },
        ...sortedLevels(content).map((l) => ({ value: l.key, label: tx(l.name) }))];
    return select(opts, { testid, name: 'proposed_level', value: value || '' });
}

/** The acknowledgement's fields: the assessment and the proposed level.
 * Returns {parts, controls, body()}: body() is what to send. */
export function ackFields(inc, content) {
    const assessment = h('textarea', { rows: 4, testid: 'action-assessment', name: 'assessment', maxlength: 20000 });
    assessment.value = inc.assessment || '';
    const level = levelSelect(content, inc.proposed_level, 'action-proposed-level');
    return {
        parts: [
            field(t('decide.assessment'), assessment, { hint: t('decide.assessment.hint'), optional: t('optional') }),
            field(t('decide.proposed_level'), level, { optional: t('optional') }),
        ],
        controls: { assessment, proposed_level: level },
        body() {
            const b = {};
            if (assessment.value.trim())
                b.assessment = assessment.value.trim();
            if (level.value)
                b.proposed_level = level.value;
            return b;
        },
    };
}

/** Command HQ's assessment and proposed level, for the activation form. */
export function assessmentBlock(inc, content) {
    return h('div', { class: 'assessment', testid: 'activate-assessment' },
        h('h4', { text: t('decide.hq_said') }),
        h('p', { class: 'prewrap', testid: 'activate-assessment-text', text: inc.assessment || t('decide.no_assessment') }),
        h('p', { class: 'muted small' }, t('decide.proposed_level'), ': ',
            h('strong', { testid: 'activate-proposed-level', text: inc.proposed_level ? levelName(content, inc.proposed_level) : '—' })));
}

/** Whether the actions card is worth showing for this user at all. */
export function mayDecideAtAll() {
    return inLeadership() || can('incident.ack');
}

/** The text of the timeline entries this module's steps write (by their
 * data's key), or null for the others. */
export function entryTextOf(e, content) {
    const d = e.data || {};
    const p = d.params || {};
    if (d.key === 'tl.assessment' || d.key === 'tl.assessment_level')
        return p.level
            ? t('decide.tl.assessment_level', { text: p.assessment || '—', level: levelName(content, p.level) })
            : t('decide.tl.assessment', { text: p.assessment || '—' });
    if (d.key === 'tl.drill_inject')
        return t('decide.tl.inject', { minute: p.minute, text: p.text });
    return null;
}
