// #/signin: the sign-in form. Its markup ships in index.html (a
// <template>), so the page served at / is a working sign-in page.

import { addTexts, applyStaticText, t } from '../lib/i18n.js';
import { signIn } from '../lib/session.js';
import { errorBox, setTitle } from '../lib/ui.js';

addTexts({
    'zh-CN': {
        'signin.limited_for': '尝试次数过多，请在 {wait} 后重试。',
        'signin.limited_over': '现在可以重新登录。',
        'signin.wait.s': '{s} 秒',
        'signin.wait.ms': '{m} 分 {s} 秒',
    },
    en: {
        'signin.limited_for': 'Too many attempts: try again in {wait}.',
        'signin.limited_over': 'You may sign in again now.',
        'signin.wait.s': '{s} s',
        'signin.wait.ms': '{m} min {s} s',
    },
});

/** 75 → "1 分 15 秒" / "1 min 15 s". */
function waitText(seconds) {
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return m ? t('signin.wait.ms', { m, s }) : t('signin.wait.s', { s });
}

export async function render(ctx) {
    setTitle(t('signin'));
    const frag = document.importNode(document.getElementById('tpl-signin').content, true);
    applyStaticText(frag);
    const form = frag.querySelector('#signin-form');
    const login = frag.querySelector('#signin-login');
    const password = frag.querySelector('#signin-password');
    const slot = frag.querySelector('#signin-slot');
    const submit = form.querySelector('button[type="submit"]');
    const notice = frag.querySelector('[data-testid="signin-notice"]');
    const text = sessionStorage.getItem('erms.signinNotice');
    sessionStorage.removeItem('erms.signinNotice');
    if (text) {
        notice.textContent = text;
        notice.hidden = false;
    }

    // After a 429: the wait the server asked for (Retry-After), counted
    // down; the button stays off until it is over.
    let countdown = null;
    function stopCountdown() {
        clearInterval(countdown);
        countdown = null;
    }
    ctx.onCleanup(stopCountdown);
    function limited(seconds) {
        const until = Date.now() + seconds * 1000;
        const box = errorBox({ status: 429, message: t('signin.limited_for', { wait: waitText(seconds) }) }, 'signin-error');
        const p = box.querySelector('p');
        p.dataset.testid = 'signin-wait';
        slot.append(box);
        submit.disabled = true;
        stopCountdown();
        countdown = setInterval(() => {
            const left = Math.ceil((until - Date.now()) / 1000);
            if (left > 0) {
                p.textContent = t('signin.limited_for', { wait: waitText(left) });
                return;
            }
            stopCountdown();
            p.textContent = t('signin.limited_over');
            box.className = 'alert info';
            box.setAttribute('role', 'status');
            submit.disabled = false;
        }, 1000);
    }

    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (countdown)
            return;
        slot.replaceChildren();
        if (!login.value.trim() || !password.value) {
            slot.append(errorBox({ message: t('signin.missing') }, 'signin-error'));
            (login.value.trim() ? password : login).focus();
            return;
        }
        submit.disabled = true;
        try {
            await signIn(login.value.trim(), password.value);
            password.value = '';
            await ctx.signedIn();
        } catch (e) {
            if (e.status === 429 && e.retryAfter) {
                limited(e.retryAfter);
                password.select();
                password.focus();
                return;
            }
            slot.append(errorBox({
                status: e.status, message: e.status === 401 ? t('signin.bad') :
                    e.status === 429 ? t('signin.limited') : `${t('signin.failed')}: ${e.message}`,
            }, 'signin-error'));
            password.select();
            password.focus();
        } finally {
            if (!countdown)
                submit.disabled = false;
        }
    });

    ctx.root.append(frag);
    login.focus();
    ctx.keepFocus = true;
}
