// Who is signed in: the user, their groups and rights (GET /api/v1/me).
// A flag in localStorage says whether we believe a session exists, so a
// signed-out start issues no request that would fail.

import { api, setCsrf } from './api.js';
import { setZone } from './time.js';

const FLAG = 'erms.signedIn';

export const session = {
    user: null,
    groups: [],
    rights: new Set(),
};

export function believedSignedIn() {
    return localStorage.getItem(FLAG) === '1';
}

export function isSignedIn() {
    return session.user !== null;
}

export function can(right) {
    return session.rights.has(right);
}

export function myGroupKeys() {
    return session.groups.map((g) => g.key);
}

export function inGroup(key) {
    return session.groups.some((g) => g.key === key);
}

export async function loadMe() {
    const me = await api('GET', '/api/v1/me');
    session.user = me.user;
    session.groups = me.groups || [];
    session.rights = new Set(me.rights || []);
    setZone(me.effective_time_zone);
    return me;
}

/** Resume the session the flag promises (GET /api/v1/session gives the CSRF token). */
export async function resume() {
    const s = await api('GET', '/api/v1/session', undefined, { quiet401: true });
    setCsrf(s.csrf_token);
    await loadMe();
}

export async function signIn(login, password) {
    const s = await api('POST', '/api/v1/session', { login, password }, { quiet401: true });
    setCsrf(s.csrf_token);
    localStorage.setItem(FLAG, '1');
    await loadMe();
}

export function forget() {
    session.user = null;
    session.groups = [];
    session.rights = new Set();
    setZone(undefined);
    setCsrf(null);
    localStorage.removeItem(FLAG);
}

export async function signOut() {
    try {
        await api('DELETE', '/api/v1/session', {}, { quiet401: true });
    } finally {
        forget();
    }
}
