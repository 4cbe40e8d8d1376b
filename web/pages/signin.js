// #/signin: the sign-in form. Its markup ships in index.html (a
// <template>), so the page served at / is a working sign-in page.

import { applyStaticText, t } from '../lib/i18n.js';
import { signIn } from '../lib/session.js';
import { errorBox, setTitle } from '../lib/ui.js';

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

    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
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
            slot.append(errorBox({
                status: e.status, message: e.status === 401 ? t('signin.bad') :
                    e.status === 429 ? t('signin.limited') : `${t('signin.failed')}: ${e.message}`,
            }, 'signin-error'));
            password.select();
            password.focus();
        } finally {
            submit.disabled = false;
        }
    });

    ctx.root.append(frag);
    login.focus();
    ctx.keepFocus = true;
}
