// The plan in force, cached per language: names of categories, levels and
// groups, level colours. Asks GET /api/v1/plans first, so that a system
// without a published plan is not asked for /plans/current (a 404).

import { api } from './api.js';
import { getLang, tx } from './i18n.js';

let cached = null;     // {lang, plan: version with content | null}
let pending = null;

export function invalidatePlan() {
    cached = null;
    pending = null;
}

/** The version in force with its content, or null when none is published. */
export async function currentPlan() {
    const lang = getLang();
    if (cached && cached.lang === lang)
        return cached.plan;
    if (!pending) {
        pending = (async () => {
            const list = await api('GET', '/api/v1/plans');
            const any = (list.items || []).some((p) => p.published_version);
            const plan = any ? await api('GET', `/api/v1/plans/current?lang=${encodeURIComponent(lang)}`) : null;
            cached = { lang, plan };
            pending = null;
            return plan;
        })().catch((e) => {
            pending = null;
            throw e;
        });
    }
    return pending;
}

/** The plan's content or an empty one. */
export function contentOf(plan) {
    return plan && plan.content ? plan.content : { levels: [], categories: [], groups: [] };
}

const COLOURS = ['red', 'orange', 'yellow', 'blue'];

/** A level's colour: the plan's `color`, else by rank (1 red … 4+ blue). */
export function levelColour(level) {
    if (level && COLOURS.includes(level.color))
        return level.color;
    const rank = level && level.rank ? level.rank : 4;
    return COLOURS[Math.min(rank, 4) - 1];
}

export function sortedLevels(content) {
    return [...(content.levels || [])].sort((a, b) => a.rank - b.rank);
}

export function findLevel(content, key) {
    return (content.levels || []).find((l) => l.key === key) || null;
}

export function levelName(content, key) {
    const l = findLevel(content, key);
    return l ? tx(l.name) : key;
}

export function categoryName(content, key) {
    const c = (content.categories || []).find((x) => x.key === key);
    return c ? tx(c.name) : key;
}

export function groupName(content, key) {
    const g = (content.groups || []).find((x) => x.key === key);
    return g ? tx(g.name) : key;
}

/** Categories in tree order with their depth: [{cat, depth}]. */
export function categoryTree(content) {
    const cats = content.categories || [];
    const out = [];
    const walk = (parent, depth) => {
        for (const c of cats)
            if ((c.parent || null) === parent) {
                out.push({ cat: c, depth });
                walk(c.key, depth + 1);
            }
    };
    walk(null, 0);
    // Anything whose parent is missing still shows.
    for (const c of cats)
        if (!out.some((o) => o.cat === c))
            out.push({ cat: c, depth: 0 });
    return out;
}
