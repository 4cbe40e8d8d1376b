// Names of people for ids (actors, commanders, assignees). Those who may
// list users get the list; others learn the names from the leadership and
// command groups and their own groups (GET /api/v1/groups/{key} is open to
// everyone signed in), so no request is made that would be refused.

import { api, apiAll } from './api.js';
import { can, session, myGroupKeys } from './session.js';
import { t } from './i18n.js';

let people = null;
let pending = null;

export function resetPeople() {
    people = null;
    pending = null;
}

export async function loadPeople() {
    if (people)
        return people;
    if (!pending) {
        pending = (async () => {
            const map = new Map();
            if (can('user.list')) {
                for (const u of await apiAll('/api/v1/users'))
                    map.set(u.id, u);
            } else {
                const groups = (await api('GET', '/api/v1/groups?limit=500')).items || [];
                const mine = new Set(myGroupKeys());
                const wanted = groups.filter((g) => g.kind !== 'team' || mine.has(g.key));
                const details = await Promise.all(wanted.map((g) =>
                    api('GET', `/api/v1/groups/${encodeURIComponent(g.key)}`)));
                for (const g of details)
                    for (const m of g.members || [])
                        map.set(m.user_id, { id: m.user_id, login: m.login, display_name: m.display_name });
            }
            if (session.user)
                map.set(session.user.id, session.user);
            people = map;
            pending = null;
            return map;
        })().catch((e) => {
            pending = null;
            throw e;
        });
    }
    return pending;
}

/** "Display name" for an id, "system" for 0/null, "#id" when unknown. */
export function personName(id) {
    if (!id)
        return t('people.system');
    const p = people && people.get(id);
    return p ? p.display_name || p.login : t('people.unknown', { id });
}

/** Everyone loadPeople() knows, [{id, name}] sorted by name (active ones only). */
export function knownPeople() {
    return [...(people ? people.values() : [])].filter((p) => !p.disabled)
        .map((p) => ({ id: p.id, name: p.display_name || p.login }))
        .sort((a, b) => a.name.localeCompare(b.name));
}
