// The API client. Every write carries the session's CSRF token and a JSON
// body ({} when the step takes no argument). A 401 outside sign-in hands
// over to the app (which shows the sign-in page). A write of an object
// loaded at some version passes {version} in its options: it is sent as
// If-Match, and a 409 version_conflict comes back as an ApiError that
// names the version now and who changed it (ui.js showConflict()).

import { getLang } from './i18n.js';

const CSRF_KEY = 'erms.csrf';
let csrf = sessionStorage.getItem(CSRF_KEY);
let onUnauthorized = () => {};

export class ApiError extends Error {
    constructor(status, err) {
        super(err && err.message ? err.message : `HTTP ${status}`);
        this.status = status;
        this.code = err ? err.code : 'http';
        this.field = err ? err.field : undefined;
        this.details = err ? err.details : undefined;
        this.currentVersion = err ? err.current_version : undefined;
        this.changedBy = err ? err.changed_by : undefined;
        this.changedAt = err ? err.changed_at : undefined;
    }

    /** A write refused because the object changed since it was loaded. */
    get isConflict() {
        return this.status === 409 && this.currentVersion !== undefined;
    }
}

export function setCsrf(token) {
    csrf = token || null;
    if (csrf)
        sessionStorage.setItem(CSRF_KEY, csrf);
    else
        sessionStorage.removeItem(CSRF_KEY);
}

export function setUnauthorizedHandler(fn) {
    onUnauthorized = fn;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Query string from an object, skipping empty values. */
export function qs(params) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {}))
        if (v !== undefined && v !== null && v !== '')
            p.set(k, String(v));
    const s = p.toString();
    return s ? `?${s}` : '';
}

/** Retry-After (seconds, or an HTTP date) as whole seconds from now; null if absent. */
export function retryAfterSeconds(value) {
    if (!value)
        return null;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim());
    const at = Date.parse(value);
    return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * api('GET', '/api/v1/me') → parsed JSON (null for 204).
 * opts.quiet401: do not call the unauthorized handler (sign-in itself).
 * opts.version: the version the write was made from (If-Match).
 */
export async function api(method, path, body, opts = {}) {
    const headers = { Accept: 'application/json', 'Accept-Language': getLang() };
    const write = WRITES.has(method);
    if (write) {
        headers['Content-Type'] = 'application/json';
        if (csrf)
            headers['X-CSRF-Token'] = csrf;
        if (opts.version)
            headers['If-Match'] = `"${opts.version}"`;
    }
    let res;
    try {
        res = await fetch(path, {
            method, headers, credentials: 'same-origin', cache: 'no-store',
            body: write ? JSON.stringify(body === undefined ? {} : body) : undefined,
        });
    } catch (e) {
        throw new ApiError(0, { code: 'network', message: e.message });
    }
    let data = null;
    if (res.status !== 204) {
        const type = res.headers.get('Content-Type') || '';
        data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
    }
    if (!res.ok) {
        const err = new ApiError(res.status, data && data.error);
        err.retryAfter = retryAfterSeconds(res.headers.get('Retry-After'));
        if (res.status === 401 && !opts.quiet401)
            onUnauthorized(err);
        throw err;
    }
    return data;
}

/** Every page of a list (follows next_cursor), up to max items. */
export async function apiAll(path, params = {}, max = 2000) {
    const items = [];
    let cursor = null;
    do {
        const page = await api('GET', path + qs({ ...params, limit: 500, cursor }));
        items.push(...page.items);
        cursor = page.next_cursor;
    } while (cursor && items.length < max);
    return items;
}
