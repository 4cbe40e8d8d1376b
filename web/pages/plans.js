// #/plans?plan=KEY&v=N : the plan for reading, its versions and their
// workflow (submit, approve, reject, publish), the difference between two
// versions, a new draft and the editor of a draft (plan-revision.js),
// importing a plan file, what changed before one acknowledges the plan in
// force, and who has not read it.

import { api, qs } from '../lib/api.js';
import { h, replace, field, select, fragmentFromSafeHtml } from '../lib/dom.js';
import { t, tx, getLang } from '../lib/i18n.js';
import { can } from '../lib/session.js';
import { invalidatePlan, levelColour, sortedLevels } from '../lib/plan.js';
import { loadPeople, personName } from '../lib/people.js';
import { timeEl, fmtMinutes } from '../lib/time.js';
import { errorBox, emptyState, loading, toast, busy, setTitle, messageOf } from '../lib/ui.js';
import { enhanceToc } from '../lib/toc.js';
import { diffView, editorCard, newDraftCard, basisNote } from './plan-revision.js';

function versionBadge(status) {
    return h('span', { class: ['badge', `plan-${status}`], testid: 'plan-version-status', text: t(`planstatus.${status}`) });
}

// ---- reading ---------------------------------------------------------------

function groupNameIn(content, key) {
    const g = (content.groups || []).find((x) => x.key === key);
    return g ? tx(g.name) : key;
}

function readingView(content) {
    const toc = h('ol', { class: 'toc' });
    const body = h('div', { class: 'plan-doc' });
    let n = 0;
    const section = (title, ...children) => {
        n += 1;
        const id = `plan-s-${n}`;
        const heading = h('h3', { id, tabindex: '-1', text: title });
        const link = h('button', { type: 'button', class: 'link-button', text: title });
        link.addEventListener('click', () => {
            heading.scrollIntoView({ behavior: 'smooth', block: 'start' });
            heading.focus({ preventScroll: true });
        });
        toc.append(h('li', {}, link));
        body.append(h('section', { class: 'doc-section', 'aria-labelledby': id }, heading, children));
    };

    if (content.summary)
        body.append(h('p', { class: 'lead', text: tx(content.summary) }));
    const sectionKeys = new Set((content.sections || []).map((s) => s.key));
    if (content.scope && !sectionKeys.has('scope'))
        section(t('plandoc.scope'), h('div', { class: 'prewrap', text: tx(content.scope) }));
    const basis = () => section(t('plandoc.basis'), h('ul', {}, content.basis.map((b) => h('li', { text: tx(b) }))));
    const hasBasis = Array.isArray(content.basis) && content.basis.length && !sectionKeys.has('basis');
    // The basis (编制依据) reads best right after the preface.
    if (hasBasis && !sectionKeys.has('preface'))
        basis();
    for (const s of content.sections || []) {
        const prose = h('div', { class: 'prose', testid: 'plan-section', dataset: { key: s.key } });
        if (s.body_html)
            prose.append(fragmentFromSafeHtml(s.body_html));
        else
            prose.append(h('div', { class: 'prewrap', text: tx(s.body) }));
        section(tx(s.title), prose);
        if (hasBasis && s.key === 'preface')
            basis();
    }
    section(t('plandoc.groups'), h('div', { class: 'org', testid: 'plan-groups' }, (content.groups || []).map((g) =>
        h('article', { class: ['org-group', `kind-${g.kind}`] },
            h('h4', {}, tx(g.name), ' ', h('span', { class: 'badge kind-tag', text: t(`kind.${g.kind}`) }),
                h('code', { class: 'muted small', text: ` ${g.key}` })),
            g.lead_title || g.deputy_title ? h('p', { class: 'muted small' },
                [g.lead_title ? `${t('plandoc.lead')}: ${tx(g.lead_title)}` : '',
                    g.deputy_title ? `${t('plandoc.deputy')}: ${tx(g.deputy_title)}` : ''].filter(Boolean).join(' · ')) : null,
            g.duties && g.duties.length ? h('ul', { class: 'duties' }, g.duties.map((d) => h('li', { text: tx(d) }))) : null))));
    section(t('plandoc.categories'), h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'plan-categories' },
        h('thead', {}, h('tr', {}, ['plandoc.cat.name', 'plandoc.cat.team', 'plandoc.cat.class', 'plandoc.cat.desc']
            .map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, (content.categories || []).map((c) => h('tr', {},
            h('td', {}, c.parent ? '↳ ' : '', tx(c.name), h('div', { class: 'muted small', text: c.key })),
            h('td', { text: groupNameIn(content, c.team) }),
            h('td', {}, c.class ? h('code', { text: c.class }) : '—'),
            h('td', { text: tx(c.description) || '—' })))))));
    section(t('plandoc.levels'), h('div', { class: 'levels', testid: 'plan-levels' }, sortedLevels(content).map((l) =>
        h('article', { class: ['level-card', `edge-${levelColour(l)}`], dataset: { level: l.key } },
            h('h4', {}, h('span', { class: ['badge', `level-${levelColour(l)}`], text: tx(l.name) }),
                l.national_level ? h('span', { class: 'muted small', text: ` ${t('plandoc.national', { l: l.national_level })}` }) : null),
            h('div', { class: 'prewrap criteria', text: tx(l.criteria) }),
            h('dl', { class: 'targets' },
                h('dt', { text: t('target.ack') }), h('dd', { text: fmtMinutes(l.targets && l.targets.ack_min) }),
                h('dt', { text: t('target.activate') }), h('dd', { text: fmtMinutes(l.targets && l.targets.activate_min) }),
                h('dt', { text: t('target.resolve') }), h('dd', { text: fmtMinutes(l.targets && l.targets.resolve_min) })),
            l.measures && l.measures.length ? [h('h5', { text: t('plandoc.measures') }),
                h('ul', {}, l.measures.map((m) => h('li', {}, tx(m.title), h('span', { class: 'muted', text: ` → ${groupNameIn(content, m.group)}` }))))] : null,
            l.notify && l.notify.length ? h('p', { class: 'small' }, h('strong', { text: `${t('plandoc.notify')}: ` }),
                l.notify.map((g) => groupNameIn(content, g)).join(t('list.sep'))) : null))));
    if (Array.isArray(content.escalation) && content.escalation.length)
        section(t('plandoc.escalation'), h('ol', { class: 'escalation' }, content.escalation.map((e) =>
            h('li', {}, h('strong', { text: e.after_min ? t('plandoc.after', { m: fmtMinutes(e.after_min) }) : t('plandoc.at_once') }),
                ' ', (e.notify || []).map((g) => groupNameIn(content, g)).join(t('list.sep')),
                e.who ? h('span', { class: 'muted', text: ` (${t(`who.${e.who}`)})` }) : null))));
    if (Array.isArray(content.drills) && content.drills.length)
        section(t('plandoc.drills'), h('ul', {}, content.drills.map((d) => h('li', {},
            d.category === '*' ? t('plandoc.every_category') : ((content.categories || []).find((c) => c.key === d.category)
                ? tx(content.categories.find((c) => c.key === d.category).name) : d.category),
            ': ', t('plandoc.per_year', { n: d.per_year }), d.kind ? ` (${t(`drillkind.${d.kind}`)})` : ''))));
    return h('div', { class: 'reading' },
        h('nav', { class: 'toc-box', 'aria-label': t('plandoc.toc') }, h('h3', { class: 'toc-title', text: t('plandoc.toc') }), enhanceToc(toc, body)),
        body);
}

// ---- page --------------------------------------------------------------------

export async function render(ctx) {
    setTitle(t('nav.plans'));
    ctx.root.append(loading());
    const [plans] = await Promise.all([api('GET', '/api/v1/plans'), loadPeople().catch(() => null)]);
    if (!ctx.alive())
        return;
    const items = plans.items || [];
    const head = h('div', { class: 'page-head' }, h('h1', { text: t('nav.plans') }));
    ctx.root.replaceChildren(head);

    if (!items.length) {
        ctx.root.append(h('section', { class: 'card' }, emptyState(t('plan.none'), 'plan-none')));
        if (can('plan.import'))
            ctx.root.append(importCard(ctx));
        return;
    }
    const chosen = items.find((p) => p.key === ctx.query.get('plan')) ||
        items.find((p) => p.published_version) || items[0];
    const key = encodeURIComponent(chosen.key);
    const versions = (await api('GET', `/api/v1/plans/${key}/versions`)).items.sort((a, b) => b.n - a.n);
    if (!ctx.alive())
        return;
    const wantN = Number(ctx.query.get('v')) || chosen.published_version || chosen.latest_version;
    const readN = versions.some((v) => v.n === wantN) ? wantN : versions[0].n;
    const reading = await api('GET', `/api/v1/plans/${key}/versions/${readN}${qs({ lang: getLang() })}`);
    if (!ctx.alive())
        return;
    const published = versions.find((v) => v.status === 'published');

    replace(head,
        h('div', {},
            h('h1', { testid: 'plan-title', text: tx(reading.name) }),
            h('p', { class: 'muted' }, t('plan.version_n', { n: reading.n }), ' ', versionBadge(reading.status),
                reading.published_at ? [' · ', t('plan.published_at'), ' ', timeEl(reading.published_at)] : null)),
        items.length > 1 ? planPicker(ctx, items, chosen) : null);

    if (reading.status !== 'published')
        ctx.root.append(h('p', { class: 'alert info', testid: 'plan-not-in-force', role: 'note' },
            published ? t('plan.reading_other', { n: reading.n, p: published.n }) : t('plan.reading_unpublished', { n: reading.n }),
            ' ', published ? h('a', { href: `#/plans${qs({ plan: chosen.key, v: published.n })}`, text: t('plan.read_in_force') }) : null));

    const side = h('div', { class: 'plan-side' },
        versionsCard(ctx, chosen, versions, readN),
        versions.length > 1 ? diffCard(chosen, versions) : null,
        can('plan.import') && versions.length ? newDraftCard(ctx, chosen) : null,
        can('plan.import') ? importCard(ctx) : null,
        can('plan.acks') && published ? acksCard(chosen, published) : null);
    const editing = reading.status === 'draft' && can('plan.edit');
    ctx.root.append(h('div', { class: 'plan-grid' },
        h('div', { class: 'plan-ack-slot' }, published ? ackCard(chosen, published, versions) : null),
        h('div', { class: 'plan-main' },
            reading.status === 'draft' ? basisNote(reading) : null,
            editing ? editorCard(ctx, chosen, reading) : null,
            h('section', { class: 'card plan-reading', testid: 'plan-reading', 'aria-labelledby': 'plan-read-title' },
                h('h2', { id: 'plan-read-title', class: 'sr-only', text: t('plandoc.title') }),
                readingView(reading.content || {}))),
        side));
}

function planPicker(ctx, items, chosen) {
    const s = select(items.map((p) => ({ value: p.key, label: p.key })), { value: chosen.key, testid: 'plan-picker' });
    s.addEventListener('change', () => ctx.navigate(`#/plans${qs({ plan: s.value })}`));
    return field(t('plan.pick'), s, { class: 'picker' });
}

/* What changed from the version before the one in force, to read before
 * acknowledging it. */
function changesBeforeAck(plan, published, versions) {
    const before = (versions || []).filter((v) => v.n < published.n && v.status === 'superseded')
        .sort((a, b) => b.n - a.n)[0];
    if (!before)
        return null;
    const key = encodeURIComponent(plan.key);
    const slot = h('div', { class: 'slot' }, loading());
    Promise.all([
        api('GET', `/api/v1/plans/${key}/versions/${before.n}/diff/${published.n}`),
        api('GET', `/api/v1/plans/${key}/versions/${before.n}${qs({ lang: getLang() })}`),
        api('GET', `/api/v1/plans/${key}/versions/${published.n}${qs({ lang: getLang() })}`),
    ]).then(([d, a, b]) => replace(slot, diffView(d, a.content, b.content)))
        .catch((e) => replace(slot, errorBox(e)));
    return h('details', { class: 'ack-changes', testid: 'plan-ack-changes', open: true },
        h('summary', { text: t('rev.ack.changes', { n: before.n }) }),
        h('p', { class: 'muted small', text: t('rev.ack.read_first') }), slot);
}

function ackCard(plan, published, versions) {
    const state = h('p', { class: 'ack-state', testid: 'plan-ack-state', role: 'status' });
    const button = h('button', { type: 'button', class: 'primary', testid: 'plan-ack', text: t('plan.ack') });
    button.addEventListener('click', () => busy(button, async () => {
        try {
            const r = await api('POST', `/api/v1/plans/${encodeURIComponent(plan.key)}/versions/${published.n}/ack`, {});
            replace(state, t('plan.acked_at', { at: '' }), timeEl(r.acknowledged_at));
            state.classList.add('ok');
            button.textContent = t('plan.ack_again');
            toast(t('plan.acked'));
        } catch (e) {
            toast(messageOf(e), 'error');
        }
    }));
    return h('section', { class: 'card', testid: 'plan-ack-card', 'aria-labelledby': 'plan-ack-title' },
        h('h2', { id: 'plan-ack-title', text: t('plan.in_force') }),
        h('p', {}, t('plan.version_n', { n: published.n }), ' · ', t('plan.published_at'), ' ', timeEl(published.published_at)),
        h('p', { class: 'muted small', text: t('plan.ack_hint') }),
        changesBeforeAck(plan, published, versions), state, button);
}

function versionsCard(ctx, plan, versions, readN) {
    const key = encodeURIComponent(plan.key);
    const slot = h('div', { class: 'slot' });
    const step = async (button, v, what, body) => busy(button, async () => {
        const n = v.n;
        slot.replaceChildren();
        try {
            await api('POST', `/api/v1/plans/${key}/versions/${n}/${what}`, body || {}, { version: v.version });
            if (what === 'publish')
                invalidatePlan();
            toast(t(`plan.done.${what}`, { n }));
            ctx.navigate(`#/plans${qs({ plan: plan.key, v: what === 'publish' ? n : readN })}`);
        } catch (e) {
            slot.append(errorBox(e, 'plan-step-error'));
        }
    });
    const rows = versions.map((v) => {
        const buttons = [];
        const extra = h('div', { class: 'slot' });
        if (v.status === 'draft' && can('plan.submit')) {
            const b = h('button', { type: 'button', class: 'small primary', testid: 'plan-submit', text: t('plan.submit') });
            b.addEventListener('click', () => step(b, v, 'submit'));
            buttons.push(b);
        }
        if (v.status === 'in_review' && can('plan.approve')) {
            const b = h('button', { type: 'button', class: 'small primary', testid: 'plan-approve', text: t('plan.approve') });
            b.addEventListener('click', () => step(b, v, 'approve'));
            buttons.push(b);
        }
        if (v.status === 'in_review' && can('plan.reject')) {
            const b = h('button', { type: 'button', class: 'small secondary', testid: 'plan-reject', text: t('plan.reject'), 'aria-expanded': 'false' });
            b.addEventListener('click', () => {
                if (extra.firstChild) {
                    replace(extra);
                    b.setAttribute('aria-expanded', 'false');
                    return;
                }
                b.setAttribute('aria-expanded', 'true');
                const comment = h('input', { testid: 'plan-reject-comment', maxlength: 2000 });
                const ok = h('button', { type: 'submit', class: 'small danger', testid: 'plan-reject-confirm', text: t('plan.reject.confirm') });
                const f = h('form', { class: 'inline-form', novalidate: true }, field(t('plan.reject.comment'), comment), ok);
                f.addEventListener('submit', (ev) => {
                    ev.preventDefault();
                    if (!comment.value.trim()) {
                        comment.setAttribute('aria-invalid', 'true');
                        comment.focus();
                        return;
                    }
                    step(ok, v, 'reject', { comment: comment.value.trim() });
                });
                replace(extra, f);
                comment.focus();
            });
            buttons.push(b);
        }
        if (v.status === 'approved' && can('plan.publish')) {
            const b = h('button', { type: 'button', class: 'small primary', testid: 'plan-publish', text: t('plan.publish') });
            b.addEventListener('click', () => step(b, v, 'publish'));
            buttons.push(b);
        }
        const read = v.n === readN
            ? h('span', { class: 'muted small', text: t('plan.reading_this') })
            : h('a', { href: `#/plans${qs({ plan: plan.key, v: v.n })}`, class: 'small', testid: 'plan-view', text: t('plan.read') });
        const exp = h('a', {
            href: `/api/v1/plans/${key}/versions/${v.n}/export`, class: 'small', download: `${plan.key}-v${v.n}.yaml`,
            testid: 'plan-export', text: t('plan.export'),
        });
        return h('li', { class: ['version', v.n === readN ? 'current' : ''], testid: `plan-version-${v.n}`, dataset: { n: v.n, status: v.status } },
            h('div', { class: 'version-line' }, h('strong', { text: t('plan.version_n', { n: v.n }) }), ' ', versionBadge(v.status)),
            h('div', { class: 'muted small' }, t('plan.created_by', { who: personName(v.author_id) }), ' ', timeEl(v.created_at),
                v.file ? h('span', { text: ` · ${v.file}` }) : null),
            v.reviewed_at ? h('div', { class: 'muted small' }, t('plan.reviewed_by', { who: personName(v.reviewer_id) }), ' ', timeEl(v.reviewed_at),
                v.review_comment ? h('q', { text: v.review_comment }) : null) : null,
            v.published_at ? h('div', { class: 'muted small' }, t('plan.published_at'), ' ', timeEl(v.published_at)) : null,
            v.superseded_at ? h('div', { class: 'muted small' }, t('plan.superseded_at'), ' ', timeEl(v.superseded_at)) : null,
            h('div', { class: 'version-actions' }, buttons, read, exp), extra);
    });
    return h('section', { class: 'card', testid: 'plan-versions', 'aria-labelledby': 'plan-versions-title' },
        h('h2', { id: 'plan-versions-title', text: t('plan.versions') }), slot, h('ul', { class: 'versions' }, rows));
}

function diffCard(plan, versions) {
    const opts = versions.map((v) => ({ value: String(v.n), label: `${t('plan.version_n', { n: v.n })} · ${t(`planstatus.${v.status}`)}` }));
    const published = versions.find((v) => v.status === 'published');
    const from = select(opts, { testid: 'plan-diff-from', value: String(published && published.n !== versions[0].n ? published.n : versions[1].n) });
    const to = select(opts, { testid: 'plan-diff-to', value: String(versions[0].n) });
    const out = h('div', { class: 'slot', 'aria-live': 'polite' });
    const go = h('button', { type: 'submit', class: 'secondary', testid: 'plan-diff-submit', text: t('plan.compare') });
    const form = h('form', { class: 'inline-form', novalidate: true },
        field(t('plan.diff.from'), from), field(t('plan.diff.to'), to), go);
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        busy(go, async () => {
            try {
                const key = encodeURIComponent(plan.key);
                const [d, a, b] = await Promise.all([
                    api('GET', `/api/v1/plans/${key}/versions/${from.value}/diff/${to.value}`),
                    api('GET', `/api/v1/plans/${key}/versions/${from.value}${qs({ lang: getLang() })}`),
                    api('GET', `/api/v1/plans/${key}/versions/${to.value}${qs({ lang: getLang() })}`),
                ]);
                replace(out, diffView(d, a.content, b.content));
            } catch (e) {
                replace(out, errorBox(e));
            }
        });
    });
    return h('section', { class: 'card', 'aria-labelledby': 'plan-diff-title' },
        h('h2', { id: 'plan-diff-title', text: t('plan.diff') }), form, out);
}

function importCard(ctx) {
    const yaml = h('textarea', { rows: 10, testid: 'plan-import-yaml', class: 'code', spellcheck: 'false', name: 'yaml' });
    const file = h('input', { type: 'file', accept: '.yaml,.yml,text/yaml,application/yaml,text/plain', testid: 'plan-import-file' });
    let fileName = '';
    file.addEventListener('change', () => {
        const f = file.files && file.files[0];
        if (!f)
            return;
        const reader = new FileReader();
        reader.addEventListener('load', () => {
            yaml.value = String(reader.result);
            fileName = f.name;
        });
        reader.addEventListener('error', () => toast(t('plan.import.read_failed'), 'error'));
        reader.readAsText(f);
    });
    const out = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'plan-import-submit', text: t('plan.import.submit') });
    const form = h('form', { class: 'stack', novalidate: true },
        field(t('plan.import.file'), file, { optional: t('optional') }),
        field(t('plan.import.yaml'), yaml, { hint: t('plan.import.hint') }), out,
        h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        if (!yaml.value.trim()) {
            out.append(errorBox({ message: t('plan.import.empty') }, 'plan-import-error'));
            yaml.focus();
            return;
        }
        busy(submit, async () => {
            try {
                const body = { yaml: yaml.value };
                body.file = fileName || 'plan.yaml';
                const v = await api('POST', '/api/v1/plans', body);
                toast(t('plan.import.done', { n: v.n }));
                ctx.navigate(`#/plans${qs({ plan: v.plan_key, v: v.n })}`);
            } catch (e) {
                out.append(errorBox(e, 'plan-import-error'));
                const first = out.querySelector('[role="alert"]');
                if (first)
                    first.scrollIntoView({ block: 'nearest' });
            }
        });
    });
    return h('section', { class: 'card', testid: 'plan-import', 'aria-labelledby': 'plan-import-title' },
        h('h2', { id: 'plan-import-title', text: t('plan.import') }),
        h('p', { class: 'muted small', text: t('plan.import.sub') }), form);
}

function acksCard(plan, published) {
    const slot = h('div', { class: 'slot' }, loading());
    api('GET', `/api/v1/plans/${encodeURIComponent(plan.key)}/versions/${published.n}/acks${qs({ state: 'pending' })}`)
        .then((r) => {
            replace(slot,
                h('p', { testid: 'plan-acks-progress', text: t('plan.ack_progress', { a: r.acknowledged, n: r.total }) }),
                h('progress', { max: r.total || 1, value: r.acknowledged, 'aria-label': t('plan.ack_progress', { a: r.acknowledged, n: r.total }) }),
                r.items.length
                    ? h('ul', { class: 'pending', testid: 'plan-acks-pending' }, r.items.map((a) =>
                        h('li', { dataset: { userId: a.user_id } }, a.display_name, h('span', { class: 'muted small', text: ` (${a.login})` }))))
                    : emptyState(t('plan.acks.all'), 'plan-acks-all'));
        })
        .catch((e) => replace(slot, errorBox(e)));
    return h('section', { class: 'card', testid: 'plan-acks', 'aria-labelledby': 'plan-acks-title' },
        h('h2', { id: 'plan-acks-title', text: t('plan.acks.title', { n: published.n }) }), slot);
}
