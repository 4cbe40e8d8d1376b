// Bulletins (信息发布) in the command room: a form to publish an internal
// bulletin (to the groups the plan notifies) or a public one (on the
// status page), with a preview of what /status will show for a public
// one, and the incident's bulletins, newest first.

import { api } from '../lib/api.js';
import { h, replace, field, fieldError, newId } from '../lib/dom.js';
import { t, addTexts } from '../lib/i18n.js';
import { can, inGroup } from '../lib/session.js';
import { subscribe } from '../lib/sse.js';
import { personName } from '../lib/people.js';
import { timeEl } from '../lib/time.js';
import { errorBox, emptyState, loading, toast, busy, showFailure } from '../lib/ui.js';

addTexts({
    'zh-CN': {
        'bulletin.title': '信息发布',
        'bulletin.audience': '发布范围',
        'bulletin.internal': '内部通报',
        'bulletin.internal.hint': '发送给预案规定通知的各组，并记入时间线。',
        'bulletin.public': '对外发布',
        'bulletin.public.hint': '显示在公开的服务状态页（/status）和订阅源上，任何人都能看到。',
        'bulletin.text': '内容',
        'bulletin.submit': '发布',
        'bulletin.posted.public': '已对外发布',
        'bulletin.posted.internal': '内部通报已发布',
        'bulletin.preview': '预览：服务状态页将显示',
        'bulletin.preview.empty': '（在上面填写内容）',
        'bulletin.preview.now': '现在',
        'bulletin.list': '已发布',
        'bulletin.none': '尚未发布信息。',
        'bulletin.by': '发布人',
        'bulletin.badge.public': '公开',
        'bulletin.badge.internal': '内部',
        'bulletin.missing': '请填写内容。',
        'status.phase.investigating': '调查中',
        'status.phase.handling': '处置中',
        'status.phase.resolved': '已解决',
    },
    en: {
        'bulletin.title': 'Bulletins',
        'bulletin.audience': 'Audience',
        'bulletin.internal': 'Internal',
        'bulletin.internal.hint': 'Sent to the groups the plan notifies, and written to the timeline.',
        'bulletin.public': 'Public',
        'bulletin.public.hint': 'Shown on the public status page (/status) and its feeds: anyone can read it.',
        'bulletin.text': 'Text',
        'bulletin.submit': 'Publish',
        'bulletin.posted.public': 'Published to the status page',
        'bulletin.posted.internal': 'Internal bulletin published',
        'bulletin.preview': 'Preview: the status page will show',
        'bulletin.preview.empty': '(write the text above)',
        'bulletin.preview.now': 'now',
        'bulletin.list': 'Published',
        'bulletin.none': 'No bulletins yet.',
        'bulletin.by': 'by',
        'bulletin.badge.public': 'Public',
        'bulletin.badge.internal': 'Internal',
        'bulletin.missing': 'Write the text first.',
        'status.phase.investigating': 'Investigating',
        'status.phase.handling': 'Handling',
        'status.phase.resolved': 'Resolved',
    },
});

/** Who may publish: command HQ and the communications team. */
export function mayPostBulletins() {
    return can('bulletin.post') || inGroup('comms');
}

/** The status page's phase of an incident status. */
function phaseOf(status) {
    if (status === 'reported' || status === 'acknowledged')
        return 'investigating';
    return status === 'active' ? 'handling' : 'resolved';
}

function bulletinItem(b) {
    const pub = b.audience === 'public';
    return h('li', { class: 'bulletin', testid: 'bulletin', dataset: { audience: b.audience, id: b.id } },
        h('div', { class: 'tl-head' },
            h('span', { class: ['badge', pub ? 'bulletin-public' : 'bulletin-internal'], text: t(pub ? 'bulletin.badge.public' : 'bulletin.badge.internal') }),
            timeEl(b.created_at, 'datetime', { class: 'tl-time' }),
            h('span', {}, t('bulletin.by'), ' ', h('span', { class: 'tl-actor', text: personName(b.author_id) }))),
        h('div', { class: 'tl-text', testid: 'bulletin-text', text: b.text }));
}

/**
 * The card, for the room's side column: bulletinsCard(ctx, inc) where inc
 * is the incident as loaded (its status is read again at each preview).
 */
export function bulletinsCard(ctx, inc) {
    const listSlot = h('div', { class: 'slot' }, loading());
    const headingId = newId('bulletins');
    const section = h('section', { class: 'card', testid: 'incident-bulletins', 'aria-labelledby': headingId },
        h('h2', { id: headingId, text: t('bulletin.title') }));
    let statusEntry = null; // this incident on /status.json, when shown there
    let current = inc;

    async function loadList() {
        try {
            const [list, pub] = await Promise.all([
                api('GET', `/api/v1/incidents/${inc.id}/bulletins`),
                fetch('/status.json', { cache: 'no-store' }).then((r) => (r.ok ? r.json() : null)).catch(() => null),
            ]);
            if (!ctx.alive())
                return;
            statusEntry = pub && (pub.incidents || []).find((x) => x.number === inc.number) || null;
            const items = [...(list.items || [])].sort((a, b) => b.id - a.id);
            replace(listSlot, items.length
                ? h('ul', { class: 'timeline bulletins', testid: 'bulletin-list', 'aria-label': t('bulletin.list') }, items.map(bulletinItem))
                : emptyState(t('bulletin.none'), 'bulletin-none'));
            renderPreview();
        } catch (e) {
            if (ctx.alive())
                replace(listSlot, errorBox(e, 'bulletin-list-error'));
        }
    }

    // ---- the form --------------------------------------------------------
    const name = newId('aud');
    const radio = (value, checked) => h('input', { type: 'radio', name, value, checked, id: newId('r'), testid: `bulletin-audience-${value}` });
    const internal = radio('internal', true);
    const pub = radio('public', false);
    const text = h('textarea', { rows: 4, maxlength: 20000, testid: 'bulletin-text-input', required: true });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'bulletin-submit', text: t('bulletin.submit') });
    const hint = h('p', { class: 'hint', id: newId('aud-hint') });
    const previewBody = h('div', { class: 'status-preview', testid: 'bulletin-preview' });
    const preview = h('div', { class: 'preview-box', role: 'region', 'aria-live': 'polite', 'aria-label': t('bulletin.preview'), hidden: true },
        h('p', { class: 'small muted', text: t('bulletin.preview') }), previewBody);
    const formErr = h('div', { class: 'slot' });
    const aud = () => (pub.checked ? 'public' : 'internal');

    function renderPreview() {
        const isPublic = aud() === 'public';
        preview.hidden = !isPublic;
        hint.textContent = t(isPublic ? 'bulletin.public.hint' : 'bulletin.internal.hint');
        if (!isPublic)
            return;
        const title = statusEntry ? statusEntry.title : (current.public_title || current.title);
        const earlier = statusEntry ? [...(statusEntry.updates || [])] : [];
        const typed = text.value.trim();
        replace(previewBody,
            h('article', { class: 'preview-incident' },
                h('h3', { testid: 'bulletin-preview-title', text: title }),
                h('p', { class: 'small muted' }, t(`status.phase.${phaseOf(current.status)}`), ' · ', current.number),
                h('ul', { class: 'preview-updates' },
                    h('li', { class: typed ? '' : 'muted', testid: 'bulletin-preview-new' },
                        h('strong', { text: t('bulletin.preview.now') }), ' ',
                        h('span', { class: 'prewrap', text: typed || t('bulletin.preview.empty') })),
                    earlier.reverse().map((u) => h('li', {}, timeEl(u.at), ' ', h('span', { class: 'prewrap', text: u.text }))))));
    }

    const form = h('form', { class: 'bulletin-form', novalidate: true, testid: 'bulletin-form' },
        h('fieldset', { 'aria-describedby': hint.id },
            h('legend', { text: t('bulletin.audience') }),
            h('div', { class: 'radio-row' },
                h('span', { class: 'field check' }, internal, h('label', { for: internal.id, text: t('bulletin.internal') })),
                h('span', { class: 'field check' }, pub, h('label', { for: pub.id, text: t('bulletin.public') }))),
            hint),
        field(t('bulletin.text'), text),
        preview, formErr,
        h('div', { class: 'form-actions' }, submit));
    for (const r of [internal, pub])
        r.addEventListener('change', renderPreview);
    text.addEventListener('input', () => {
        if (aud() === 'public')
            renderPreview();
    });
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        replace(formErr);
        fieldError(text, null);
        if (!text.value.trim()) {
            fieldError(text, t('bulletin.missing'));
            text.focus();
            return;
        }
        const audience = aud();
        busy(submit, async () => {
            try {
                await api('POST', `/api/v1/incidents/${inc.id}/bulletins`, { text: text.value.trim(), audience });
                text.value = '';
                toast(t(audience === 'public' ? 'bulletin.posted.public' : 'bulletin.posted.internal'));
                await loadList();
            } catch (e) {
                showFailure(e, { text }, formErr, 'bulletin-error');
            }
        });
    });

    if (mayPostBulletins())
        section.append(form);
    section.append(h('h3', { text: t('bulletin.list') }), listSlot);
    renderPreview();

    // Bulletins others publish arrive as timeline entries; the status
    // (its phase in the preview) as incident events.
    ctx.onCleanup(subscribe((kind, data) => {
        if (!ctx.alive() || !data)
            return;
        if (kind === 'timeline' && data.incident_id === inc.id && data.kind === 'bulletin')
            loadList();
        else if (kind === 'incident' && data.id === inc.id) {
            current = { ...current, ...data };
            renderPreview();
        }
    }));
    loadList();
    return section;
}
