// #/profile : a person's own settings. Everyone edits their name, e-mail,
// mobile, language, time zone and chat ids (PATCH /api/v1/me with the
// version they loaded), changes their password, makes and revokes their
// own API tokens, and makes the calendar feed URLs.

import { api } from '../lib/api.js';
import { h, replace, field, select, fieldError } from '../lib/dom.js';
import { t, addTexts, setLang, getLang } from '../lib/i18n.js';
import { session, loadMe } from '../lib/session.js';
import { timeEl, getZone, zoneValid, zoneChoices } from '../lib/time.js';
import { errorBox, emptyState, loading, toast, busy, setTitle, messageOf, showConflict } from '../lib/ui.js';
import { feedButton } from './drills.js';

addTexts({
    'zh-CN': {
        'nav.profile': '个人设置',
        'profile.title': '个人设置',
        'profile.me': '我的资料',
        'profile.name': '姓名',
        'profile.email': '电子邮件',
        'profile.phone': '手机号',
        'profile.phone.hint': '可带 +，不含空格或横线；钉钉、企业微信按手机号 @ 人',
        'profile.locale': '界面和消息语言',
        'profile.zone': '时区',
        'profile.zone.org': '跟随组织设置（当前显示 {zone}）',
        'profile.chat': '聊天平台账号（群机器人消息中 @ 值班人时使用）',
        'profile.chat.dingtalk': '钉钉 userId',
        'profile.chat.wecom': '企业微信 userid',
        'profile.chat.feishu': '飞书 open_id / user_id',
        'profile.save': '保存资料',
        'profile.saved': '已保存',
        'profile.password': '修改密码',
        'profile.password.current': '当前密码',
        'profile.password.new': '新密码',
        'profile.password.repeat': '再次输入新密码',
        'profile.password.mismatch': '两次输入的新密码不一致。',
        'profile.password.save': '修改密码',
        'profile.password.done': '密码已修改；其他设备上的登录和日历订阅地址已失效。',
        'profile.tokens': 'API 令牌',
        'profile.tokens.hint': '脚本和命令行（erms --token）使用的令牌；只能看到自己的。',
        'profile.tokens.none': '还没有令牌。',
        'profile.tokens.name': '用途',
        'profile.tokens.days': '有效天数',
        'profile.tokens.create': '新建令牌',
        'profile.tokens.secret': '令牌只显示这一次，请立即复制保存：',
        'profile.tokens.created': '创建时间',
        'profile.tokens.expires': '到期',
        'profile.tokens.last_used': '最近使用',
        'profile.tokens.never': '从未',
        'profile.tokens.revoke': '吊销',
        'profile.tokens.revoke_confirm': '吊销令牌“{name}”？使用它的脚本将无法再访问。',
        'profile.tokens.revoked': '已吊销',
        'profile.feeds': '日历订阅',
        'profile.feeds.hint': '演练计划和我的值班可以订阅到手机或电脑的日历应用。',
        'profile.lang.zh-CN': '中文',
        'profile.lang.en': 'English',
    },
    en: {
        'nav.profile': 'My settings',
        'profile.title': 'My settings',
        'profile.me': 'My profile',
        'profile.name': 'Name',
        'profile.email': 'E-mail',
        'profile.phone': 'Mobile',
        'profile.phone.hint': 'may start with +, no spaces or dashes; DingTalk and WeCom @-mention by mobile',
        'profile.locale': 'Language of the console and messages',
        'profile.zone': 'Time zone',
        'profile.zone.org': 'The organisation\'s (now {zone})',
        'profile.chat': 'Chat accounts (to be @-mentioned by group robots when on duty)',
        'profile.chat.dingtalk': 'DingTalk userId',
        'profile.chat.wecom': 'WeCom userid',
        'profile.chat.feishu': 'Feishu open_id / user_id',
        'profile.save': 'Save profile',
        'profile.saved': 'Saved',
        'profile.password': 'Change password',
        'profile.password.current': 'Current password',
        'profile.password.new': 'New password',
        'profile.password.repeat': 'New password again',
        'profile.password.mismatch': 'The new passwords differ.',
        'profile.password.save': 'Change password',
        'profile.password.done': 'Password changed; sign-ins elsewhere and calendar feed URLs have ended.',
        'profile.tokens': 'API tokens',
        'profile.tokens.hint': 'Tokens for scripts and the CLI (erms --token); you see only your own.',
        'profile.tokens.none': 'No tokens yet.',
        'profile.tokens.name': 'Purpose',
        'profile.tokens.days': 'Valid for (days)',
        'profile.tokens.create': 'New token',
        'profile.tokens.secret': 'The token is shown only this once; copy it now:',
        'profile.tokens.created': 'Created',
        'profile.tokens.expires': 'Expires',
        'profile.tokens.last_used': 'Last used',
        'profile.tokens.never': 'never',
        'profile.tokens.revoke': 'Revoke',
        'profile.tokens.revoke_confirm': 'Revoke the token "{name}"? Scripts using it will stop working.',
        'profile.tokens.revoked': 'Revoked',
        'profile.feeds': 'Calendar feeds',
        'profile.feeds.hint': 'The drill schedule and your duty shifts, in the calendar app of your phone or computer.',
        'profile.lang.zh-CN': '中文',
        'profile.lang.en': 'English',
    },
});

// A new token's secret, shown once on the page drawn after it was made.
let newSecret = null;

export async function render(ctx) {
    setTitle(t('profile.title'));
    const body = h('div', { class: 'stack' }, loading());
    ctx.root.append(h('div', { class: 'page-head' }, h('h1', { text: t('profile.title') })), body);
    const [me, tokens] = await Promise.all([loadMe(), api('GET', '/api/v1/tokens')]);
    if (!ctx.alive())
        return;
    replace(body, profileCard(ctx, me), passwordCard(), tokensCard(ctx, tokens.items || []), feedsCard());
}

function profileCard(ctx, me) {
    const u = me.user;
    const controls = {
        display_name: h('input', { value: u.display_name, maxlength: 128, required: true, autocomplete: 'name', testid: 'profile-name' }),
        email: h('input', { type: 'email', value: u.email || '', maxlength: 254, autocomplete: 'email', testid: 'profile-email' }),
        phone: h('input', { type: 'tel', value: u.phone || '', maxlength: 32, autocomplete: 'tel', testid: 'profile-phone' }),
        locale: select(['zh-CN', 'en'].map((l) => ({ value: l, label: t(`profile.lang.${l}`) })), { value: u.locale, testid: 'profile-locale' }),
        time_zone: select([{ value: '', label: t('profile.zone.org', { zone: u.time_zone ? '—' : me.effective_time_zone }) },
            ...zoneChoices(u.time_zone).map((z) => ({ value: z, label: z }))], { value: u.time_zone || '', testid: 'profile-zone' }),
    };
    const chat = {};
    for (const k of ['dingtalk', 'wecom', 'feishu']) {
        chat[k] = h('input', { value: (u.chat_ids || {})[k] || '', maxlength: 64, autocomplete: 'off', testid: `profile-chat-${k}` });
        controls[`chat_ids.${k}`] = chat[k];
    }
    let version = u.version;
    const out = h('div', { class: 'slot' });
    const save = h('button', { type: 'submit', class: 'primary', testid: 'profile-save', text: t('profile.save') });
    const form = h('form', { class: 'grid-form', novalidate: true, testid: 'profile-form', 'aria-labelledby': 'profile-me' },
        field(t('profile.name'), controls.display_name),
        field(t('profile.email'), controls.email),
        field(t('profile.phone'), controls.phone, { hint: t('profile.phone.hint') }),
        field(t('profile.locale'), controls.locale),
        field(t('profile.zone'), controls.time_zone),
        h('fieldset', { class: 'grid-form inner' }, h('legend', { text: t('profile.chat') }),
            field(t('profile.chat.dingtalk'), chat.dingtalk),
            field(t('profile.chat.wecom'), chat.wecom),
            field(t('profile.chat.feishu'), chat.feishu)),
        out, h('div', { class: 'form-actions' }, save));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        for (const c of Object.values(controls))
            fieldError(c, null);
        if (!controls.display_name.value.trim()) {
            fieldError(controls.display_name, t('required'));
            controls.display_name.focus();
            return;
        }
        const zone = controls.time_zone.value;
        if (zone && !zoneValid(zone)) {
            fieldError(controls.time_zone, t('required'));
            return;
        }
        const json = {
            display_name: controls.display_name.value.trim(), email: controls.email.value.trim(),
            phone: controls.phone.value.trim(), locale: controls.locale.value, time_zone: zone,
            chat_ids: { dingtalk: chat.dingtalk.value.trim(), wecom: chat.wecom.value.trim(), feishu: chat.feishu.value.trim() },
        };
        busy(save, async () => {
            try {
                await api('PATCH', '/api/v1/me', json, { version });
                await loadMe();
                toast(t('profile.saved'));
                if (json.locale !== getLang())
                    setLang(json.locale);	// the console redraws in it
                else
                    ctx.rerender();
            } catch (e) {
                if (e.isConflict) {
                    showConflict(form, e, {
                        onLoad: () => ctx.rerender(),
                        onRetry: (n) => { version = n; form.requestSubmit(); },
                    });
                } else if (e.field && controls[e.field]) {
                    fieldError(controls[e.field], messageOf(e));
                    controls[e.field].focus();
                } else {
                    out.append(errorBox(e, 'profile-error'));
                }
            }
        });
    });
    return h('section', { class: 'card', 'aria-labelledby': 'profile-me' },
        h('h2', { id: 'profile-me', text: t('profile.me') }),
        h('p', { class: 'muted small', testid: 'profile-zone-now' }, `${t('profile.zone')}: ${getZone() || me.effective_time_zone}`),
        form);
}

function passwordCard() {
    const current = h('input', { type: 'password', autocomplete: 'current-password', testid: 'password-current' });
    const next = h('input', { type: 'password', autocomplete: 'new-password', testid: 'password-new' });
    const again = h('input', { type: 'password', autocomplete: 'new-password', testid: 'password-repeat' });
    const out = h('div', { class: 'slot', role: 'status' });
    const save = h('button', { type: 'submit', class: 'secondary', testid: 'password-save', text: t('profile.password.save') });
    const form = h('form', { class: 'grid-form', novalidate: true, testid: 'password-form' },
        field(t('profile.password.current'), current), field(t('profile.password.new'), next),
        field(t('profile.password.repeat'), again), out, h('div', { class: 'form-actions' }, save));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        for (const c of [current, next, again])
            fieldError(c, null);
        if (next.value !== again.value) {
            fieldError(again, t('profile.password.mismatch'));
            again.focus();
            return;
        }
        busy(save, async () => {
            try {
                await api('PATCH', '/api/v1/me', { password: next.value, current_password: current.value });
                form.reset();
                out.append(h('p', { class: 'alert ok', testid: 'password-done', text: t('profile.password.done') }));
            } catch (e) {
                const c = e.field === 'current_password' ? current : e.field === 'password' ? next : null;
                if (c) {
                    fieldError(c, messageOf(e));
                    c.focus();
                } else {
                    out.append(errorBox(e, 'password-error'));
                }
            }
        });
    });
    return h('section', { class: 'card', 'aria-labelledby': 'profile-password' },
        h('h2', { id: 'profile-password', text: t('profile.password') }), form);
}

function tokensCard(ctx, tokens) {
    const when = (iso) => (iso ? timeEl(iso) : t('profile.tokens.never'));
    const rows = tokens.filter((x) => !x.revoked).map((x) => {
        const revoke = h('button', { type: 'button', class: 'small danger', testid: 'token-revoke', text: t('profile.tokens.revoke') });
        revoke.addEventListener('click', () => {
            if (!window.confirm(t('profile.tokens.revoke_confirm', { name: x.name })))
                return;
            busy(revoke, async () => {
                try {
                    await api('DELETE', `/api/v1/tokens/${x.id}`);
                    toast(t('profile.tokens.revoked'));
                    ctx.rerender();
                } catch (e) {
                    toast(messageOf(e), 'error');
                }
            });
        });
        return h('tr', { testid: 'token-row', dataset: { id: x.id } },
            h('td', { text: x.name }), h('td', {}, when(x.created_at)), h('td', {}, when(x.expires_at)),
            h('td', {}, when(x.last_used_at)), h('td', {}, revoke));
    });
    const table = rows.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'tokens' },
            h('thead', {}, h('tr', {}, ...['profile.tokens.name', 'profile.tokens.created', 'profile.tokens.expires',
                'profile.tokens.last_used', 'profile.tokens.revoke'].map((k) => h('th', { scope: 'col', text: t(k) })))),
            h('tbody', {}, rows)))
        : emptyState(t('profile.tokens.none'), 'no-tokens');
    const name = h('input', { maxlength: 128, testid: 'token-name' });
    const days = h('input', { type: 'number', min: 1, max: 3650, value: 90, class: 'num', testid: 'token-days' });
    const out = h('div', { class: 'slot' });
    if (newSecret) {
        out.append(h('div', { class: 'alert ok', testid: 'token-secret-box' },
            h('p', { text: t('profile.tokens.secret') }),
            h('input', { readonly: true, value: newSecret, class: 'wide code', testid: 'token-secret', 'aria-label': t('profile.tokens.secret') })));
        newSecret = null;
    }
    const create = h('button', { type: 'submit', class: 'secondary', testid: 'token-create', text: t('profile.tokens.create') });
    const form = h('form', { class: 'inline-form', novalidate: true, testid: 'token-form' },
        field(t('profile.tokens.name'), name), field(t('profile.tokens.days'), days), create);
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        fieldError(name, null);
        if (!name.value.trim()) {
            fieldError(name, t('required'));
            name.focus();
            return;
        }
        busy(create, async () => {
            try {
                const tok = await api('POST', '/api/v1/tokens', { name: name.value.trim(), expires_in_days: Number(days.value) || 90 });
                newSecret = tok.token;
                ctx.rerender();
            } catch (e) {
                if (e.field === 'name' || e.field === 'expires_in_days') {
                    fieldError(e.field === 'name' ? name : days, messageOf(e));
                } else {
                    out.append(errorBox(e, 'token-error'));
                }
            }
        });
    });
    return h('section', { class: 'card', 'aria-labelledby': 'profile-tokens' },
        h('h2', { id: 'profile-tokens', text: t('profile.tokens') }),
        h('p', { class: 'muted small', text: t('profile.tokens.hint') }), table, form, out);
}

function feedsCard() {
    const slot = h('div', { class: 'slot' });
    return h('section', { class: 'card', 'aria-labelledby': 'profile-feeds' },
        h('h2', { id: 'profile-feeds', text: t('profile.feeds') }),
        h('p', { class: 'muted small', text: t('profile.feeds.hint') }), feedButton(slot), slot);
}
