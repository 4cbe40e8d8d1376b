// One EventSource for the whole console while signed in. Pages subscribe
// to the kinds they care about; the browser resumes with Last-Event-ID
// after a drop, so nothing is missed. When the server no longer keeps
// the events after that id (the event log's retention, docs/api.md), it
// says so with a 'missed' event: the pages are then told 'open', as
// after a reconnect, and reload what they show.

const KINDS = ['incident', 'task', 'timeline', 'breach'];
let es = null;
const subscribers = new Set();
const stateListeners = new Set();
let state = 'off';

function setState(s) {
    state = s;
    for (const fn of stateListeners)
        fn(s);
}

function dispatch(kind, data) {
    for (const fn of [...subscribers]) {
        try {
            fn(kind, data);
        } catch (e) {
            // A page's handler failing must not stop the others.
            setTimeout(() => { throw e; });
        }
    }
}

export function startEvents() {
    if (es)
        return;
    es = new EventSource('/api/v1/events');
    setState('connecting');
    es.addEventListener('open', () => {
        setState('live');
        dispatch('open', null);
    });
    es.addEventListener('error', () => {
        if (es && es.readyState === EventSource.CLOSED)
            setState('off');
        else
            setState('connecting');
    });
    es.addEventListener('missed', () => dispatch('open', null));
    for (const kind of KINDS) {
        es.addEventListener(kind, (ev) => {
            let data;
            try {
                data = JSON.parse(ev.data);
            } catch {
                return;
            }
            dispatch(kind, data);
        });
    }
}

export function stopEvents() {
    if (es)
        es.close();
    es = null;
    setState('off');
}

/** fn(kind, data) for every event; returns the unsubscribe function. */
export function subscribe(fn) {
    subscribers.add(fn);
    return () => subscribers.delete(fn);
}

export function onEventState(fn) {
    stateListeners.add(fn);
    fn(state);
    return () => stateListeners.delete(fn);
}

/** Calls fn at most once per wait ms (trailing). */
export function debounce(fn, wait = 300) {
    let timer = null;
    const d = (...args) => {
        clearTimeout(timer);
        timer = setTimeout(() => fn(...args), wait);
    };
    d.cancel = () => clearTimeout(timer);
    return d;
}
