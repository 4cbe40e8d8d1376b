// #/admin/organisation: the organisation's settings (GET/PATCH
// /api/v1/organisation, sent with the version read): name, time zone,
// language, the operator type that sets the regulator's deadline, the
// regulators to report to, and the working-day calendar (per year, the
// holidays and the make-up working days) that "working days" count by.

import { api } from '../lib/api.js';
import { h, replace, field, select, fieldError } from '../lib/dom.js';
import { t, addTexts } from '../lib/i18n.js';
import { zoneValid, zoneChoices } from '../lib/time.js';
import { errorBox, toast, busy, showConflict, messageOf } from '../lib/ui.js';
import { OPERATOR_TYPES, label } from '../lib/regulatory.js';

addTexts({
    'zh-CN': {
        'admin.tab.organisation': '组织设置',
        'org.title': '组织设置',
        'org.name': '组织名称',
        'org.zone': '时区',
        'org.locale': '默认语言',
        'org.locale.zh-CN': '中文',
        'org.locale.en': 'English',
        'org.operator_type': '运营者类型',
        'org.operator_type.hint': '决定向监管报告的时限：关键信息基础设施 1 小时，中央和国家机关 2 小时，其他 4 小时（《国家网络安全事件报告管理办法》）。',
        'org.deadline': '首报时限：{m}',
        'org.regulators': '报告对象（监管部门）',
        'org.regulators.hint': '记录报告时可从中选择；也会写入应急包。',
        'org.regulators.none': '尚未填写报告对象。',
        'org.reg.name': '名称',
        'org.reg.role': '角色',
        'org.reg.role.hint': '如：保护工作部门、公安机关、省级网信部门',
        'org.reg.contact': '联系人',
        'org.reg.phone': '电话',
        'org.reg.email': '电子邮件',
        'org.reg.address': '地址',
        'org.reg.add': '添加报告对象',
        'org.reg.remove': '移除此报告对象',
        'org.calendar': '工作日历',
        'org.calendar.hint': '周末默认休息。每年填写法定节假日和调休上班日（日期格式 2026-10-01，每行一个或以逗号分隔）。总结报告的"5 个工作日"按此计算。',
        'org.calendar.none': '尚未填写任何年份。',
        'org.cal.year': '年份',
        'org.cal.holidays': '节假日（休息）',
        'org.cal.workdays': '调休上班日',
        'org.cal.add': '添加年份',
        'org.cal.remove': '移除 {year} 年',
        'org.cal.bad_date': '日期格式应为 YYYY-MM-DD 且属于该年：{d}',
        'org.cal.bad_year': '请填写四位年份',
        'org.cal.dup_year': '该年份已填写',
        'org.save': '保存',
        'org.saved': '组织设置已保存',
        'org.bad_zone': '未知时区',
    },
    en: {
        'admin.tab.organisation': 'Organisation',
        'org.title': 'Organisation settings',
        'org.name': 'Name',
        'org.zone': 'Time zone',
        'org.locale': 'Default language',
        'org.locale.zh-CN': '中文',
        'org.locale.en': 'English',
        'org.operator_type': 'Operator type',
        'org.operator_type.hint': 'Sets the deadline of a report to the regulator: 1 hour for critical information infrastructure, 2 hours for central and state organs, 4 hours for others (the 2025 reporting Measures).',
        'org.deadline': 'First report within {m}',
        'org.regulators': 'Regulators to report to',
        'org.regulators.hint': 'Offered when a report is recorded, and written into the emergency pack.',
        'org.regulators.none': 'No regulator entered yet.',
        'org.reg.name': 'Name',
        'org.reg.role': 'Role',
        'org.reg.role.hint': 'e.g. protection department, police, provincial cyberspace office',
        'org.reg.contact': 'Contact person',
        'org.reg.phone': 'Phone',
        'org.reg.email': 'E-mail',
        'org.reg.address': 'Address',
        'org.reg.add': 'Add a regulator',
        'org.reg.remove': 'Remove this regulator',
        'org.calendar': 'Working-day calendar',
        'org.calendar.hint': 'Weekends are days off. Enter each year\'s public holidays and make-up working days (dates as 2026-10-01, one a line or separated by commas). The final report\'s "5 working days" count by it.',
        'org.calendar.none': 'No year entered yet.',
        'org.cal.year': 'Year',
        'org.cal.holidays': 'Holidays (days off)',
        'org.cal.workdays': 'Make-up working days',
        'org.cal.add': 'Add a year',
        'org.cal.remove': 'Remove {year}',
        'org.cal.bad_date': 'A date is YYYY-MM-DD, in that year: {d}',
        'org.cal.bad_year': 'A year has four digits',
        'org.cal.dup_year': 'This year is already there',
        'org.save': 'Save',
        'org.saved': 'Organisation settings saved',
        'org.bad_zone': 'Unknown time zone',
    },
});

const REG_FIELDS = ['name', 'role', 'contact', 'phone', 'email', 'address'];

function dates(text) {
    return text.split(/[\s,，、;；]+/).map((s) => s.trim()).filter(Boolean);
}

function validDate(d, year) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    if (!m || Number(m[1]) !== year)
        return false;
    const x = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return x.getUTCMonth() === +m[2] - 1 && x.getUTCDate() === +m[3];
}

export async function orgTab(ctx, body) {
    const org = await api('GET', '/api/v1/organisation');
    if (!ctx.alive())
        return;
    let version = org.version;
    const loadedYears = new Set(Object.keys(org.calendar || {}));
    const controls = {
        name: h('input', { value: org.name || '', maxlength: 200, autocomplete: 'organization', testid: 'org-name' }),
        time_zone: select(zoneChoices(org.time_zone).map((z) => ({ value: z, label: z })), { value: org.time_zone || '', testid: 'org-zone' }),
        locale: select(['zh-CN', 'en'].map((l) => ({ value: l, label: t(`org.locale.${l}`) })), { value: org.locale || 'zh-CN', testid: 'org-locale' }),
        operator_type: select(OPERATOR_TYPES.map((o) => ({ value: o, label: label('reg.operator', o) })),
            { value: org.operator_type || 'other', testid: 'org-operator-type' }),
    };

    // ---- regulators --------------------------------------------------------
    const regList = h('ol', { class: 'reg-rows', testid: 'org-regulators' });
    const regNone = h('p', { class: 'muted small', testid: 'org-regulators-none', text: t('org.regulators.none') });
    const syncRegNone = () => {
        regNone.hidden = regList.children.length > 0;
    };
    function regRow(r = {}) {
        const inputs = {};
        for (const k of REG_FIELDS)
            inputs[k] = h('input', {
                value: r[k] || '', maxlength: k === 'address' ? 300 : 200, testid: `org-reg-${k}`,
                type: k === 'email' ? 'email' : k === 'phone' ? 'tel' : 'text', autocomplete: 'off',
            });
        const remove = h('button', { type: 'button', class: 'secondary small', testid: 'org-reg-remove', text: t('remove'),
            'aria-label': t('org.reg.remove') });
        const li = h('li', { testid: 'org-regulator' },
            h('div', { class: 'row-fields' },
                field(t('org.reg.name'), inputs.name),
                field(t('org.reg.role'), inputs.role, { hint: t('org.reg.role.hint') }),
                field(t('org.reg.contact'), inputs.contact, { optional: t('optional') }),
                field(t('org.reg.phone'), inputs.phone, { optional: t('optional') }),
                field(t('org.reg.email'), inputs.email, { optional: t('optional') }),
                field(t('org.reg.address'), inputs.address, { optional: t('optional') })),
            h('div', { class: 'actions' }, remove));
        li.inputs = inputs;
        li.note = r.note;
        remove.addEventListener('click', () => {
            li.remove();
            syncRegNone();
            addReg.focus();
        });
        return li;
    }
    for (const r of org.regulators || [])
        regList.append(regRow(r));
    const addReg = h('button', { type: 'button', class: 'secondary', testid: 'org-reg-add', text: t('org.reg.add') });
    addReg.addEventListener('click', () => {
        regList.append(regRow());
        syncRegNone();
        regList.lastElementChild.inputs.name.focus();
    });
    syncRegNone();

    // ---- calendar ----------------------------------------------------------
    const calList = h('ol', { class: 'reg-rows', testid: 'org-calendar' });
    const calNone = h('p', { class: 'muted small', testid: 'org-calendar-none', text: t('org.calendar.none') });
    const syncCalNone = () => {
        calNone.hidden = calList.children.length > 0;
    };
    function calRow(year, c = {}) {
        const y = h('input', { type: 'number', class: 'num', min: 2000, max: 2100, step: 1, value: year || '', testid: 'org-cal-year' });
        const hol = h('textarea', { rows: 3, testid: 'org-cal-holidays' });
        hol.value = (c.holidays || []).join('\n');
        const work = h('textarea', { rows: 2, testid: 'org-cal-workdays' });
        work.value = (c.workdays || []).join('\n');
        const remove = h('button', { type: 'button', class: 'secondary small', testid: 'org-cal-remove', text: t('remove') });
        const li = h('li', { testid: 'org-cal-year-row', dataset: { year: year || '' } },
            h('div', { class: 'row-fields' },
                field(t('org.cal.year'), y),
                field(t('org.cal.holidays'), hol),
                field(t('org.cal.workdays'), work)),
            h('div', { class: 'actions' }, remove));
        const labelRemove = () => remove.setAttribute('aria-label', t('org.cal.remove', { year: y.value || '' }));
        y.addEventListener('input', labelRemove);
        labelRemove();
        li.inputs = { year: y, holidays: hol, workdays: work };
        remove.addEventListener('click', () => {
            li.remove();
            syncCalNone();
            addYear.focus();
        });
        return li;
    }
    for (const y of Object.keys(org.calendar || {}).sort())
        if (org.calendar[y])
            calList.append(calRow(y, org.calendar[y]));
    const addYear = h('button', { type: 'button', class: 'secondary', testid: 'org-cal-add', text: t('org.cal.add') });
    addYear.addEventListener('click', () => {
        const have = [...calList.children].map((li) => Number(li.inputs.year.value)).filter(Boolean);
        const next = have.length ? Math.max(...have) + 1 : new Date().getFullYear();
        calList.append(calRow(String(next)));
        syncCalNone();
        calList.lastElementChild.inputs.holidays.focus();
    });
    syncCalNone();

    const deadline = h('p', { class: 'muted small', testid: 'org-deadline' });
    const showDeadline = () => {
        const m = { cii: 60, central: 120, other: 240 }[controls.operator_type.value];
        deadline.textContent = m ? t('org.deadline', { m: t('reg.minutes', { n: m }) }) : '';
    };
    controls.operator_type.addEventListener('change', showDeadline);
    showDeadline();

    const out = h('div', { class: 'slot' });
    const save = h('button', { type: 'submit', class: 'primary', testid: 'org-save', text: t('org.save') });
    const form = h('form', { class: 'stack', novalidate: true, testid: 'org-form', 'aria-labelledby': 'org-title' },
        h('h2', { id: 'org-title', text: t('org.title') }),
        h('div', { class: 'grid-form' },
            field(t('org.name'), controls.name),
            field(t('org.zone'), controls.time_zone),
            field(t('org.locale'), controls.locale),
            field(t('org.operator_type'), controls.operator_type, { hint: t('org.operator_type.hint') })),
        deadline,
        h('fieldset', { class: 'stack' }, h('legend', { text: t('org.regulators') }),
            h('p', { class: 'hint', text: t('org.regulators.hint') }), regNone, regList, h('div', {}, addReg)),
        h('fieldset', { class: 'stack' }, h('legend', { text: t('org.calendar') }),
            h('p', { class: 'hint', text: t('org.calendar.hint') }), calNone, calList, h('div', {}, addYear)),
        out, h('div', { class: 'form-actions' }, save));

    /** The control an API error's field names ("regulators[1].name", "calendar.2026.holidays"). */
    function controlOf(name) {
        if (!name)
            return null;
        if (controls[name])
            return controls[name];
        const parts = name.replace(/\[(\w+)\]/g, '.$1').split('.');
        if (parts[0] === 'regulators') {
            const li = regList.children[Number(parts[1])];
            return li ? li.inputs[parts[2]] || li.inputs.name : addReg;
        }
        if (parts[0] === 'calendar') {
            const li = [...calList.children].find((x) => x.inputs.year.value === parts[1]);
            return li ? li.inputs[parts[2]] || li.inputs.year : addYear;
        }
        return null;
    }

    function allControls() {
        return [...Object.values(controls), ...[...regList.children].flatMap((li) => Object.values(li.inputs)),
            ...[...calList.children].flatMap((li) => Object.values(li.inputs))];
    }

    function fail(c, msg) {
        fieldError(c, msg);
        c.focus();
    }

    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        for (const c of allControls())
            fieldError(c, null);
        if (!zoneValid(controls.time_zone.value))
            return fail(controls.time_zone, t('org.bad_zone'));
        const regulators = [];
        for (const li of regList.children) {
            const r = {};
            for (const k of REG_FIELDS)
                if (li.inputs[k].value.trim())
                    r[k] = li.inputs[k].value.trim();
            if (!Object.keys(r).length)
                continue;
            if (!r.name)
                return fail(li.inputs.name, t('required'));
            if (li.note)
                r.note = li.note;
            regulators.push(r);
        }
        const calendar = {};
        for (const li of calList.children) {
            const y = li.inputs.year.value.trim();
            if (!/^\d{4}$/.test(y))
                return fail(li.inputs.year, t('org.cal.bad_year'));
            if (calendar[y])
                return fail(li.inputs.year, t('org.cal.dup_year'));
            const entry = {};
            for (const k of ['holidays', 'workdays']) {
                const list = dates(li.inputs[k].value);
                const bad = list.find((d) => !validDate(d, Number(y)));
                if (bad)
                    return fail(li.inputs[k], t('org.cal.bad_date', { d: bad }));
                entry[k] = [...new Set(list)].sort();
            }
            calendar[y] = entry;
        }
        for (const y of loadedYears)
            if (!(y in calendar))
                calendar[y] = null;
        const json = {
            time_zone: controls.time_zone.value, locale: controls.locale.value,
            operator_type: controls.operator_type.value, regulators, calendar,
        };
        const name = controls.name.value.trim();
        if (name || name !== (org.name || ''))
            json.name = name;
        return busy(save, async () => {
            try {
                const next = await api('PATCH', '/api/v1/organisation', json, { version });
                version = next.version;
                loadedYears.clear();
                for (const y of Object.keys(next.calendar || {}))
                    loadedYears.add(y);
                toast(t('org.saved'));
                const d = next.report_deadline_min;
                if (d)
                    deadline.textContent = t('org.deadline', { m: t('reg.minutes', { n: d }) });
            } catch (e) {
                const c = controlOf(e.field);
                if (e.isConflict) {
                    showConflict(form, e, {
                        onLoad: () => ctx.rerender(),
                        onRetry: (n) => {
                            version = n;
                            form.requestSubmit();
                        },
                    });
                } else if (c) {
                    fail(c, messageOf(e));
                } else {
                    out.append(errorBox(e, 'org-error'));
                }
            }
        });
    });
    replace(body, h('section', { class: 'card', testid: 'org-card' }, form));
}
