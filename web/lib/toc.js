// The table of contents of a long document (a plan): under each section's
// entry, the headings inside the section; after each section a way back
// to the contents; the section being read marked in the list (which wide
// screens keep in view, app.css).

import { h } from './dom.js';
import { t, addTexts } from './i18n.js';

addTexts({
    'zh-CN': { 'toc.back': '↑ 返回目录' },
    en: { 'toc.back': '↑ Back to contents' },
});

const SUB = '.prose h1, .prose h2, .prose h3, .prose h4';

function jumpButton(text, target) {
    const b = h('button', { type: 'button', class: 'link-button', text });
    b.addEventListener('click', () => {
        target.scrollIntoView({ behavior: 'smooth', block: 'start' });
        target.focus({ preventScroll: true });
    });
    return b;
}

/**
 * toc: the <ol> whose items are, in order, the entries of body's
 * sections (`.doc-section`, each led by its heading). Adds the nested
 * entries and the links back; returns toc.
 */
export function enhanceToc(toc, body) {
    const sections = [...body.querySelectorAll('.doc-section')];
    const items = [...toc.children];
    const back = () => toc.querySelector('button, a');
    sections.forEach((sec, i) => {
        const li = items[i];
        const head = sec.firstElementChild;
        if (!li || !head)
            return;
        const subs = [...sec.querySelectorAll(SUB)].filter((x) => x.textContent.trim());
        if (subs.length) {
            li.append(h('ol', { class: 'toc-sub' }, subs.map((x, j) => {
                if (!x.id)
                    x.id = `${head.id || `toc-s${i}`}-h${j + 1}`;
                x.tabIndex = -1;
                return h('li', {}, jumpButton(x.textContent.trim(), x));
            })));
        }
        const up = h('button', { type: 'button', class: 'link-button small', text: t('toc.back') });
        up.addEventListener('click', () => {
            toc.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
            const first = back();
            if (first)
                first.focus({ preventScroll: true });
        });
        sec.append(h('p', { class: 'toc-back' }, up));
    });
    if (typeof IntersectionObserver === 'function') {
        const seen = new IntersectionObserver((entries) => {
            for (const e of entries) {
                const li = items[sections.indexOf(e.target)];
                if (li && e.isIntersecting) {
                    for (const x of items)
                        x.classList.toggle('toc-current', x === li);
                }
            }
        }, { rootMargin: '-10% 0px -70% 0px' });
        for (const sec of sections)
            seen.observe(sec);
    }
    return toc;
}
