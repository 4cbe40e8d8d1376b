// Times: the API speaks RFC 3339 UTC; people read local time, in the
// zone GET /api/v1/me names (effective_time_zone: the user's own, else
// the organisation's), the browser's own until it is known.

import { getLang, t } from './i18n.js';
import { h } from './dom.js';

const cache = new Map();
let zone;	// undefined: the browser's

/** Whether Intl knows the IANA zone name z. */
export function zoneValid(z) {
    if (!z)
        return false;
    try {
        new Intl.DateTimeFormat('en', { timeZone: z });
        return true;
    } catch {
        return false;
    }
}

/** The zones one may pick: the browser's list, with current kept. */
export function zoneChoices(current) {
    let list = [];
    try {
        list = Intl.supportedValuesOf('timeZone');
    } catch {
        list = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Tokyo', 'Europe/London', 'UTC'];
    }
    if (current && !list.includes(current))
        list = [current, ...list];
    return list;
}

/** Show times in zone z from now on (an unknown or empty one: the browser's). */
export function setZone(z) {
    const next = zoneValid(z) ? z : undefined;
    if (next !== zone) {
        zone = next;
        cache.clear();
    }
}

/** The zone times are shown in. */
export function getZone() {
    return zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function formatter(kind) {
    const key = `${getLang()}|${kind}|${zone || ''}`;
    if (!cache.has(key)) {
        const opts = {
            datetime: { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' },
            seconds: { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23' },
            time: { timeStyle: 'medium', hourCycle: 'h23' },
            date: { dateStyle: 'medium' },
            parts: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
                minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
        }[kind];
        cache.set(key, new Intl.DateTimeFormat(kind === 'parts' ? 'en-US' : getLang(),
            { ...opts, timeZone: zone }));
    }
    return cache.get(key);
}

/** The wall clock of instant ms in the zone: {y, mo, d, hh, mm, ss}. */
function wall(ms) {
    const p = {};
    for (const x of formatter('parts').formatToParts(new Date(ms)))
        p[x.type] = Number(x.value);
    return { y: p.year, mo: p.month, d: p.day, hh: p.hour % 24, mm: p.minute, ss: p.second };
}

/** The zone's offset from UTC at instant ms, in ms. */
function offsetAt(ms) {
    const w = wall(ms);
    const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.hh, w.mm, w.ss);
    return asUtc - Math.floor(ms / 1000) * 1000;
}

function valid(iso) {
    if (!iso)
        return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
}

/** Local date and time (minutes), '—' for none. */
export function fmtTime(iso, kind = 'datetime') {
    const d = valid(iso);
    return d ? formatter(kind).format(d) : '—';
}

/** A <time> element with the local time and the instant as datetime. */
export function timeEl(iso, kind = 'datetime', props = {}) {
    const d = valid(iso);
    if (!d)
        return h('span', { class: 'muted', text: '—' });
    return h('time', { datetime: iso, title: d.toISOString(), ...props }, formatter(kind).format(d));
}

/** 3725000 → "1:02:05"; days as "2d 03:00:00" / "2天 03:00:00". */
export function fmtDuration(ms) {
    let s = Math.floor(Math.abs(ms) / 1000);
    const d = Math.floor(s / 86400);
    s -= d * 86400;
    const hh = Math.floor(s / 3600);
    const mm = Math.floor((s % 3600) / 60);
    const ss = s % 60;
    const p = (n) => String(n).padStart(2, '0');
    const clock = `${hh}:${p(mm)}:${p(ss)}`;
    return d ? `${t('time.days', { n: d })} ${p(hh)}:${p(mm)}:${p(ss)}` : clock;
}

/** Minutes as "15 min" / "1 h 30 min" / "1 d". */
export function fmtMinutes(min) {
    if (min === null || min === undefined || min === 0)
        return '—';
    const d = Math.floor(min / 1440);
    const hh = Math.floor((min % 1440) / 60);
    const mm = min % 60;
    const parts = [];
    if (d)
        parts.push(t('time.d', { n: d }));
    if (hh)
        parts.push(t('time.h', { n: hh }));
    if (mm)
        parts.push(t('time.min', { n: mm }));
    return parts.join(' ');
}

/** A datetime-local value ("2026-11-28T20:15", wall time in the zone) to RFC 3339 UTC, or null. */
export function localInputToIso(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || '');
    if (!m)
        return null;
    const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
    if (Number.isNaN(asUtc))
        return null;
    // The offset at the guess, then again at the instant it gives (a
    // change of offset between the two: daylight saving).
    let ms = asUtc - offsetAt(asUtc);
    ms = asUtc - offsetAt(ms);
    return new Date(ms).toISOString();
}

function inputOf(ms) {
    const w = wall(ms);
    const p = (n) => String(n).padStart(2, '0');
    return `${w.y}-${p(w.mo)}-${p(w.d)}T${p(w.hh)}:${p(w.mm)}`;
}

/** An RFC 3339 instant as a datetime-local value in the zone, '' for none. */
export function isoToLocalInput(iso) {
    const d = valid(iso);
    return d ? inputOf(d.getTime()) : '';
}

/** Now as a datetime-local value, in the zone. */
export function nowLocalInput(offsetMin = 0) {
    return inputOf(Date.now() + offsetMin * 60000);
}

/**
 * A live countdown to a deadline. The ticker below updates every element
 * with class "timer": "12:03 left" until the deadline, then "overdue
 * 0:02:10" with class "overdue" (also when breached is true).
 */
export function timer(deadline, breached = false, testid) {
    const el = h('span', {
        class: 'timer', testid, dataset: { deadline, breached: breached ? '1' : '0' },
        role: 'timer',
    });
    updateTimer(el, Date.now());
    return el;
}

function updateTimer(el, now) {
    const dl = new Date(el.dataset.deadline).getTime();
    if (Number.isNaN(dl))
        return;
    const left = dl - now;
    const over = left < 0;
    const text = over ? t('timer.over', { d: fmtDuration(left) }) : t('timer.left', { d: fmtDuration(left) });
    if (el.textContent !== text)
        el.textContent = text;
    el.classList.toggle('overdue', over || el.dataset.breached === '1');
    el.classList.toggle('soon', !over && left < 5 * 60000);
    const host = el.closest('[data-timers]');
    if (host)
        host.classList.toggle('late', over || el.dataset.breached === '1' ||
            host.dataset.breached === '1');
}

let ticking = null;

export function startTicker() {
    if (ticking)
        return;
    ticking = setInterval(() => {
        const now = Date.now();
        for (const el of document.querySelectorAll('.timer[data-deadline]'))
            updateTimer(el, now);
    }, 1000);
}

export function resetFormatters() {
    cache.clear();
}
