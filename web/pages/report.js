// #/report: report an incident, then go to its command room.

import { api } from '../lib/api.js';
import { h, field, checkField, select, fieldError } from '../lib/dom.js';
import { t, tx } from '../lib/i18n.js';
import { currentPlan, contentOf, categoryTree, sortedLevels } from '../lib/plan.js';
import { localInputToIso, nowLocalInput } from '../lib/time.js';
import { emptyState, setTitle, toast, showFailure } from '../lib/ui.js';

export async function render(ctx) {
    setTitle(t('report.title'));
    const plan = await currentPlan();
    if (!ctx.alive())
        return;
    const content = contentOf(plan);
    const head = h('div', { class: 'page-head' },
        h('div', {}, h('h1', { text: t('report.title') }),
            h('p', { class: 'muted', text: t('report.sub') })));
    if (!plan) {
        ctx.root.append(head, h('section', { class: 'card' }, emptyState(t('report.no_plan'), 'report-no-plan')));
        return;
    }

    const title = h('input', { name: 'title', required: true, maxlength: 200, testid: 'report-title', autocomplete: 'off' });
    const category = select([{ value: '', label: t('report.choose_category') },
        ...categoryTree(content).map(({ cat, depth }) => ({
            value: cat.key, label: `${'\u3000'.repeat(depth)}${tx(cat.name)}`,
        }))], { name: 'category', required: true, testid: 'report-category' });
    const catHint = h('p', { class: 'hint', 'aria-live': 'polite', testid: 'report-category-hint' });
    category.addEventListener('change', () => {
        const c = (content.categories || []).find((x) => x.key === category.value);
        catHint.textContent = c ? tx(c.description) : '';
    });
    const impact = h('input', { name: 'impact', maxlength: 2000, testid: 'report-impact', autocomplete: 'off' });
    const description = h('textarea', { name: 'description', rows: 5, testid: 'report-description' });
    const detected = h('input', { name: 'detected_at', type: 'datetime-local', testid: 'report-detected', max: nowLocalInput(5) });
    const level = select([{ value: '', label: t('report.level_unknown') },
        ...sortedLevels(content).map((l) => ({ value: l.key, label: tx(l.name) }))],
    { name: 'proposed_level', testid: 'report-level' });
    const drill = h('input', { type: 'checkbox', name: 'is_drill', testid: 'report-drill' });
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'report-submit', text: t('report.submit') });

    const controls = { title, category, impact, description, detected_at: detected, proposed_level: level };
    const form = h('form', { class: 'stack report-form', novalidate: true, testid: 'report-form' },
        field(t('report.f.title'), title, { hint: t('report.f.title.hint') }),
        field(t('report.f.category'), category),
        catHint,
        field(t('report.f.impact'), impact, { hint: t('report.f.impact.hint'), optional: t('optional') }),
        field(t('report.f.description'), description, { optional: t('optional') }),
        h('div', { class: 'row2' },
            field(t('report.f.detected'), detected, { optional: t('optional'), hint: t('report.f.detected.hint') }),
            field(t('report.f.level'), level, { optional: t('optional'), hint: t('report.f.level.hint') })),
        checkField(t('report.f.drill'), drill),
        slot,
        h('div', { class: 'form-actions' }, submit,
            h('a', { href: '#/', class: 'button secondary', text: t('cancel') })));

    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.replaceChildren();
        for (const c of Object.values(controls))
            fieldError(c, null);
        let bad = null;
        if (!title.value.trim()) {
            fieldError(title, t('report.need_title'));
            bad = bad || title;
        }
        if (!category.value) {
            fieldError(category, t('report.need_category'));
            bad = bad || category;
        }
        if (bad) {
            bad.focus();
            return;
        }
        const body = { title: title.value.trim(), category: category.value, is_drill: drill.checked };
        if (impact.value.trim())
            body.impact = impact.value.trim();
        if (description.value.trim())
            body.description = description.value.trim();
        const iso = localInputToIso(detected.value);
        if (iso)
            body.detected_at = iso;
        if (level.value)
            body.proposed_level = level.value;
        submit.disabled = true;
        try {
            const inc = await api('POST', '/api/v1/incidents', body);
            toast(t('report.done', { number: inc.number }));
            ctx.navigate(`#/incidents/${encodeURIComponent(inc.number)}`);
        } catch (e) {
            showFailure(e, controls, slot, 'report-error');
        } finally {
            submit.disabled = false;
        }
    });

    ctx.root.append(head, h('section', { class: 'card narrow' }, form));
}
