// DOM helpers. Everything a person reads goes in through textContent or
// attributes: no HTML strings are ever parsed here (the plan's sanitized
// section bodies go through fragmentFromSafeHtml() below, and only those).

let uid = 0;

/** A fresh id for label/field pairs. */
export function newId(prefix = 'f') {
    uid += 1;
    return `${prefix}-${uid}`;
}

const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected',
    'required', 'multiple', 'readOnly', 'open', 'indeterminate']);

/**
 * h('tag', {class, text, testid, for, dataset, on*: fn, ...attrs}, ...children)
 * Children may be nodes, strings (text), numbers, arrays, null/false (skipped).
 */
export function h(tag, props, ...children) {
    const el = document.createElement(tag);
    if (props) {
        for (const [k, v] of Object.entries(props)) {
            if (v === undefined || v === null || v === false && !PROPS.has(k))
                continue;
            if (k === 'class') {
                el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
            } else if (k === 'text') {
                el.textContent = String(v);
            } else if (k === 'testid') {
                el.dataset.testid = v;
            } else if (k === 'for') {
                el.htmlFor = v;
            } else if (k === 'dataset') {
                for (const [dk, dv] of Object.entries(v))
                    if (dv !== undefined && dv !== null)
                        el.dataset[dk] = String(dv);
            } else if (k.startsWith('on') && typeof v === 'function') {
                el.addEventListener(k.slice(2).toLowerCase(), v);
            } else if (PROPS.has(k)) {
                el[k] = v;
            } else if (v === true) {
                el.setAttribute(k, '');
            } else {
                el.setAttribute(k, String(v));
            }
        }
    }
    append(el, children);
    return el;
}

export function append(el, children) {
    for (const c of children.flat(Infinity)) {
        if (c === null || c === undefined || c === false)
            continue;
        el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
}

export function clear(el) {
    while (el.firstChild)
        el.removeChild(el.firstChild);
    return el;
}

export function replace(el, ...children) {
    clear(el);
    return append(el, children);
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/**
 * A labelled field: <div class="field"><label for=id>…</label>control hint</div>.
 * The control gets an id when it has none.
 */
export function field(label, control, opts = {}) {
    if (!control.id)
        control.id = newId('f');
    const hint = opts.hint ? h('p', { class: 'hint', id: `${control.id}-hint`, text: opts.hint }) : null;
    if (hint)
        control.setAttribute('aria-describedby', hint.id);
    const err = h('p', { class: 'field-error', id: `${control.id}-err`, hidden: true });
    const lab = h('label', { for: control.id }, label,
        opts.optional ? h('span', { class: 'optional', text: ` ${opts.optional}` }) : null);
    return h('div', { class: ['field', opts.class] }, lab, control, hint, err);
}

/** A checkbox with its label after it. */
export function checkField(label, input, opts = {}) {
    if (!input.id)
        input.id = newId('c');
    return h('div', { class: ['field', 'check', opts.class] }, input,
        h('label', { for: input.id, text: label }));
}

/** <select> with [{value, label}] options. */
export function select(options, props = {}) {
    const s = h('select', props);
    for (const o of options)
        s.append(h('option', { value: o.value, text: o.label, selected: o.value === props.value }));
    if (props.value !== undefined)
        s.value = props.value;
    return s;
}

/** Show an error under a field (by control), or clear it with msg=null. */
export function fieldError(control, msg) {
    const err = document.getElementById(`${control.id}-err`);
    if (!err)
        return;
    err.textContent = msg || '';
    err.hidden = !msg;
    if (msg) {
        control.setAttribute('aria-invalid', 'true');
        const d = control.getAttribute('aria-describedby') || '';
        if (!d.includes(err.id))
            control.setAttribute('aria-describedby', `${d} ${err.id}`.trim());
    } else {
        control.removeAttribute('aria-invalid');
    }
}

const SAFE_TAGS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'UL', 'OL', 'LI',
    'STRONG', 'EM', 'B', 'I', 'U', 'S', 'DEL', 'CODE', 'PRE', 'BLOCKQUOTE', 'HR',
    'BR', 'A', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'IMG', 'SPAN', 'DIV',
    'INPUT', 'SUP', 'SUB', 'DL', 'DT', 'DD']);
const SAFE_ATTRS = new Set(['href', 'title', 'src', 'alt', 'align', 'start',
    'type', 'checked', 'disabled', 'colspan', 'rowspan']);

function cleanse(node) {
    for (const child of [...node.children]) {
        if (!SAFE_TAGS.has(child.tagName) ||
            child.tagName === 'INPUT' && child.getAttribute('type') !== 'checkbox') {
            // Keep the text of an unknown element, drop the element.
            child.replaceWith(document.createTextNode(child.textContent));
            continue;
        }
        for (const a of [...child.attributes])
            if (!SAFE_ATTRS.has(a.name))
                child.removeAttribute(a.name);
        if (child.tagName === 'A') {
            const href = child.getAttribute('href') || '';
            if (!/^(https?:|mailto:|#|\/)/i.test(href))
                child.removeAttribute('href');
            else if (/^https?:/i.test(href)) {
                child.setAttribute('target', '_blank');
                child.setAttribute('rel', 'noopener noreferrer');
            }
        }
        if (child.tagName === 'IMG') {
            // The CSP only allows our own images and data: URLs.
            const src = child.getAttribute('src') || '';
            if (!/^(\/(?!\/)|data:image\/)/.test(src)) {
                child.replaceWith(document.createTextNode(child.getAttribute('alt') || ''));
                continue;
            }
        }
        if (child.tagName === 'INPUT')
            child.disabled = true;
        cleanse(child);
    }
}

/**
 * The plan's section bodies: HTML rendered by the server from Markdown with
 * raw HTML escaped. Parsed in an inert document, reduced to a small set of
 * tags and attributes (no style, no handlers), then imported.
 */
export function fragmentFromSafeHtml(html) {
    const doc = new DOMParser().parseFromString(`<div>${html || ''}</div>`, 'text/html');
    const root = doc.body.firstElementChild;
    cleanse(root);
    const frag = document.createDocumentFragment();
    for (const n of [...root.childNodes])
        frag.append(document.importNode(n, true));
    return frag;
}
