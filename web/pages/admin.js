// #/admin/{users|groups|channels|delivery|organisation}: administration. Each tab
// shows only to those with the rights it needs. The duty roster has its
// own page (pages/duty.js).

import { api, apiAll, qs } from '../lib/api.js';
import { h, replace, field, checkField, select, fieldError } from '../lib/dom.js';
import { can, session } from '../lib/session.js';
import { t, addTexts } from '../lib/i18n.js';
import { loadPeople, resetPeople } from '../lib/people.js';
import { timeEl } from '../lib/time.js';
import { errorBox, emptyState, loading, toast, busy, setTitle, messageOf } from '../lib/ui.js';
import { orgTab } from './admin-org.js';

addTexts({
    'zh-CN': {
        'admin.ch.f.host': '邮件服务器',
        'admin.ch.f.port': '端口',
        'admin.ch.f.tls': '加密方式',
        'admin.ch.f.from': '发件人地址',
        'admin.ch.f.user': '登录用户名',
        'admin.ch.f.password': '登录密码',
        'admin.ch.f.url': '机器人 / Webhook 地址',
        'admin.ch.f.secret': '签名密钥',
        'admin.ch.f.locale': '消息语言',
        'admin.ch.f.url_set': '地址已设置',
        'admin.ch.secret_set': '已设置',
        'admin.ch.kind.email': '电子邮件',
        'admin.ch.kind.webhook': 'Webhook',
        'admin.ch.kind.slack': 'Slack',
        'admin.ch.kind.dingtalk': '钉钉机器人',
        'admin.ch.kind.wecom': '企业微信机器人',
        'admin.ch.kind.feishu': '飞书机器人',
        'admin.u.edit': '编辑',
        'admin.u.edit_title': '编辑用户 {login}',
        'admin.u.save': '保存',
        'admin.u.cancel': '取消',
        'admin.u.phone.hint': '手机号，可带 +，不含空格或横线（钉钉、企业微信按手机号 @ 人）',
        'admin.u.chat': '聊天平台账号（用于在群机器人消息中 @ 值班人）',
        'admin.u.chat.dingtalk': '钉钉 userId',
        'admin.u.chat.wecom': '企业微信 userid',
        'admin.u.chat.feishu': '飞书 open_id（ou_…）',
        'admin.g.channels': '通知通道',
        'admin.g.no_channels': '该小组没有接入通知通道。',
        'admin.g.attach': '接入',
        'admin.g.detach': '移除',
        'admin.g.channel_pick': '通道',
        'admin.g.manage_channels': '管理通道',
        'admin.g.duty_link': '查看值班表',
        'admin.ch.test_code': '平台返回码',
    },
    en: {
        'admin.ch.f.host': 'Mail server',
        'admin.ch.f.port': 'Port',
        'admin.ch.f.tls': 'Encryption',
        'admin.ch.f.from': 'From address',
        'admin.ch.f.user': 'User name',
        'admin.ch.f.password': 'Password',
        'admin.ch.f.url': 'Robot / webhook URL',
        'admin.ch.f.secret': 'Signing secret',
        'admin.ch.f.locale': 'Message language',
        'admin.ch.f.url_set': 'URL set',
        'admin.ch.secret_set': 'set',
        'admin.ch.kind.email': 'E-mail',
        'admin.ch.kind.webhook': 'Webhook',
        'admin.ch.kind.slack': 'Slack',
        'admin.ch.kind.dingtalk': 'DingTalk robot',
        'admin.ch.kind.wecom': 'WeCom robot',
        'admin.ch.kind.feishu': 'Feishu robot',
        'admin.u.edit': 'Edit',
        'admin.u.edit_title': 'Edit user {login}',
        'admin.u.save': 'Save',
        'admin.u.cancel': 'Cancel',
        'admin.u.phone.hint': 'A mobile number, + allowed, no spaces or dashes (DingTalk and WeCom mention by mobile)',
        'admin.u.chat': 'Chat accounts (to @-mention the person on duty in robot messages)',
        'admin.u.chat.dingtalk': 'DingTalk userId',
        'admin.u.chat.wecom': 'WeCom userid',
        'admin.u.chat.feishu': 'Feishu open_id (ou_…)',
        'admin.g.channels': 'Notification channels',
        'admin.g.no_channels': 'No channel is attached to this group.',
        'admin.g.attach': 'Attach',
        'admin.g.detach': 'Detach',
        'admin.g.channel_pick': 'Channel',
        'admin.g.manage_channels': 'Manage channels',
        'admin.g.duty_link': 'Duty roster',
        'admin.ch.test_code': 'vendor code',
    },
});

const CHAT_KINDS = ['dingtalk', 'wecom', 'feishu'];

const TABS = [
    { key: 'users', right: 'user.list', render: usersTab },
    { key: 'groups', right: 'group.read', render: groupsTab },
    { key: 'channels', right: 'channel.manage', render: channelsTab },
    { key: 'delivery', right: 'notification.read', render: deliveryTab },
    { key: 'organisation', right: 'organisation.update', render: orgTab },
];

export async function render(ctx) {
    const tabs = TABS.filter((x) => can(x.right) || x.key === 'organisation' && session.user.is_admin);
    const want = ctx.params[0];
    const tab = tabs.find((x) => x.key === want) || tabs[0];
    setTitle(t('admin.title'));
    if (!tab) {
        ctx.root.append(h('section', { class: 'card' }, h('h1', { text: t('admin.title') }), emptyState(t('admin.nothing'))));
        return;
    }
    const body = h('div', { class: 'tab-body', id: 'admin-tab' });
    ctx.root.append(
        h('div', { class: 'page-head' }, h('h1', { text: t('admin.title') })),
        h('nav', { class: 'tabs', 'aria-label': t('admin.sections') }, tabs.map((x) => h('a', {
            href: `#/admin/${x.key}`, testid: `admin-tab-${x.key}`, 'aria-current': x === tab ? 'page' : null,
            class: x === tab ? 'active' : '', text: t(`admin.tab.${x.key}`),
        }))),
        body);
    body.append(loading());
    await loadPeople().catch(() => null);
    if (!ctx.alive())
        return;
    replace(body);
    await tab.render(ctx, body);
}

function table(testid, headers, rows) {
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid },
        h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col', text: t(x) })))),
        h('tbody', {}, rows)));
}

function yesNo(v) {
    return v ? t('yes') : t('no');
}

// ---- users --------------------------------------------------------------------

async function usersTab(ctx, body) {
    const users = await apiAll('/api/v1/users');
    if (!ctx.alive())
        return;
    const editSlot = h('div', { class: 'slot', 'aria-live': 'polite' });
    const rows = users.map((u) => {
        const actions = [];
        if (can('user.update')) {
            const b = h('button', { type: 'button', class: 'small secondary', testid: 'admin-user-edit', text: t('admin.u.edit'), 'aria-label': `${t('admin.u.edit')}: ${u.login}` });
            b.addEventListener('click', () => {
                replace(editSlot, userEditForm(ctx, u, () => replace(editSlot)));
                editSlot.querySelector('input').focus();
            });
            actions.push(b, ' ');
        }
        if (can('user.update') && u.id !== session.user.id) {
            const b = h('button', { type: 'button', class: 'small secondary', testid: 'admin-user-toggle', text: u.disabled ? t('admin.enable') : t('admin.disable') });
            b.addEventListener('click', () => busy(b, async () => {
                try {
                    await api('PATCH', `/api/v1/users/${u.id}`, { disabled: !u.disabled }, { version: u.version });
                    toast(t('saved'));
                    resetPeople();
                    ctx.rerender();
                } catch (e) {
                    toast(messageOf(e), 'error');
                }
            }));
            actions.push(b);
        }
        return h('tr', { testid: 'admin-user-row', dataset: { login: u.login }, class: u.disabled ? 'disabled-row' : '' },
            h('td', {}, h('code', { text: u.login })),
            h('td', { text: u.display_name }),
            h('td', { text: [u.email, u.phone, ...CHAT_KINDS.map((k) => u.chat_ids && u.chat_ids[k])]
                .filter(Boolean).join(' · ') || '—' }),
            h('td', { text: u.locale }),
            h('td', { text: yesNo(u.is_admin) }),
            h('td', {}, u.disabled ? h('span', { class: 'badge status-dismissed', text: t('admin.disabled') })
                : h('span', { class: 'badge status-resolved', text: t('admin.enabled') })),
            h('td', {}, timeEl(u.created_at, 'date')),
            can('user.update') ? h('td', {}, actions) : null);
    });
    body.append(h('section', { class: 'card', 'aria-labelledby': 'users-title' },
        h('h2', { id: 'users-title', text: t('admin.users') }),
        table('admin-users', ['admin.u.login', 'admin.u.name', 'admin.u.contact', 'admin.u.locale', 'admin.u.admin',
            'admin.u.state', 'admin.u.created', ...(can('user.update') ? ['admin.u.actions'] : [])], rows)),
    editSlot);
    if (can('user.create'))
        body.append(userForm(ctx));
}

// An administrator's edit of user u: name, contacts, chat ids, language.
function userEditForm(ctx, u, close) {
    const c = {
        display_name: h('input', { testid: 'user-edit-name', maxlength: 128, value: u.display_name }),
        email: h('input', { type: 'email', testid: 'user-edit-email', autocomplete: 'off', value: u.email }),
        phone: h('input', { type: 'tel', testid: 'user-edit-phone', autocomplete: 'off', value: u.phone }),
        locale: select([{ value: 'zh-CN', label: '中文 (zh-CN)' }, { value: 'en', label: 'English (en)' }], { testid: 'user-edit-locale', value: u.locale }),
    };
    const chat = {};
    for (const k of CHAT_KINDS)
        chat[k] = h('input', { testid: `user-edit-chat-${k}`, maxlength: 64, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', value: (u.chat_ids || {})[k] || '' });
    const out = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'user-edit-submit', text: t('admin.u.save') });
    const cancel = h('button', { type: 'button', class: 'secondary', text: t('admin.u.cancel') });
    cancel.addEventListener('click', close);
    const form = h('form', { class: 'grid-form', novalidate: true },
        field(t('admin.u.name'), c.display_name), field(t('admin.u.email'), c.email, { optional: t('optional') }),
        field(t('admin.u.phone'), c.phone, { optional: t('optional'), hint: t('admin.u.phone.hint') }),
        field(t('admin.u.locale'), c.locale),
        h('fieldset', { class: 'grid-form inner' }, h('legend', { text: t('admin.u.chat') }),
            CHAT_KINDS.map((k) => field(t(`admin.u.chat.${k}`), chat[k], { optional: t('optional') }))),
        out, h('div', { class: 'form-actions' }, submit, cancel));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        for (const x of [...Object.values(c), ...Object.values(chat)])
            fieldError(x, null);
        if (!c.display_name.value.trim()) {
            fieldError(c.display_name, t('required'));
            c.display_name.focus();
            return;
        }
        const json = {
            display_name: c.display_name.value.trim(), email: c.email.value.trim(), phone: c.phone.value.trim(),
            locale: c.locale.value, chat_ids: Object.fromEntries(CHAT_KINDS.map((k) => [k, chat[k].value.trim()])),
        };
        busy(submit, async () => {
            try {
                await api('PATCH', `/api/v1/users/${u.id}`, json);
                toast(t('saved'));
                resetPeople();
                ctx.rerender();
            } catch (e) {
                const k = e.field && e.field.startsWith('chat_ids.') ? e.field.slice(9) : null;
                const el = k ? chat[k] : c[e.field];
                if (el) {
                    fieldError(el, messageOf(e));
                    el.focus();
                } else {
                    out.append(errorBox(e, 'user-edit-error'));
                }
            }
        });
    });
    return h('section', { class: 'card', testid: 'admin-user-edit-form', 'aria-labelledby': 'user-edit-title' },
        h('h2', { id: 'user-edit-title', text: t('admin.u.edit_title', { login: u.login }) }), form);
}

function userForm(ctx) {
    const c = {
        login: h('input', { testid: 'admin-user-login', maxlength: 64, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }),
        display_name: h('input', { testid: 'admin-user-name', maxlength: 128, autocomplete: 'off' }),
        password: h('input', { type: 'password', testid: 'admin-user-password', minlength: 8, maxlength: 256, autocomplete: 'new-password' }),
        email: h('input', { type: 'email', testid: 'admin-user-email', autocomplete: 'off' }),
        phone: h('input', { type: 'tel', testid: 'admin-user-phone', autocomplete: 'off' }),
        locale: select([{ value: 'zh-CN', label: '中文 (zh-CN)' }, { value: 'en', label: 'English (en)' }], { testid: 'admin-user-locale' }),
        is_admin: h('input', { type: 'checkbox', testid: 'admin-user-admin' }),
    };
    const slot = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'admin-user-submit', text: t('admin.create_user') });
    const form = h('form', { class: 'grid-form', novalidate: true },
        field(t('admin.u.login'), c.login, { hint: t('admin.u.login.hint') }),
        field(t('admin.u.name'), c.display_name),
        field(t('password'), c.password, { hint: t('admin.u.password.hint') }),
        field(t('admin.u.email'), c.email, { optional: t('optional') }),
        field(t('admin.u.phone'), c.phone, { optional: t('optional') }),
        field(t('admin.u.locale'), c.locale),
        checkField(t('admin.u.is_admin'), c.is_admin),
        slot, h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        slot.replaceChildren();
        for (const x of Object.values(c))
            fieldError(x, null);
        for (const k of ['login', 'display_name', 'password'])
            if (!c[k].value.trim()) {
                fieldError(c[k], t('required'));
                c[k].focus();
                return;
            }
        const bodyJson = {
            login: c.login.value.trim(), display_name: c.display_name.value.trim(), password: c.password.value,
            locale: c.locale.value, is_admin: c.is_admin.checked,
        };
        if (c.email.value.trim())
            bodyJson.email = c.email.value.trim();
        if (c.phone.value.trim())
            bodyJson.phone = c.phone.value.trim();
        busy(submit, async () => {
            try {
                const u = await api('POST', '/api/v1/users', bodyJson);
                toast(t('admin.user_created', { login: u.login }));
                resetPeople();
                ctx.rerender();
            } catch (e) {
                if (e.field && c[e.field]) {
                    fieldError(c[e.field], e.message);
                    c[e.field].focus();
                } else {
                    slot.append(errorBox(e, 'admin-user-error'));
                }
            }
        });
    });
    return h('section', { class: 'card', testid: 'admin-user-form', 'aria-labelledby': 'user-new-title' },
        h('h2', { id: 'user-new-title', text: t('admin.create_user') }), form);
}

// ---- groups -------------------------------------------------------------------

async function groupsTab(ctx, body) {
    const groups = await apiAll('/api/v1/groups');
    if (!ctx.alive())
        return;
    const chosenKey = ctx.query.get('group') || (groups[0] && groups[0].key);
    const list = h('ul', { class: 'group-list', testid: 'admin-groups' }, groups.map((g) => h('li', {},
        h('a', {
            href: `#/admin/groups${qs({ group: g.key })}`, testid: `admin-group-${g.key}`,
            'aria-current': g.key === chosenKey ? 'true' : null, class: g.key === chosenKey ? 'active' : '',
        }, g.name, ' ', h('span', { class: 'badge kind-tag', text: t(`kind.${g.kind}`) })))));
    const detail = h('div', { class: 'slot' });
    body.append(h('div', { class: 'split' },
        h('section', { class: 'card', 'aria-labelledby': 'groups-title' }, h('h2', { id: 'groups-title', text: t('admin.groups') }), list),
        h('section', { class: 'card', testid: 'admin-group-detail', 'aria-live': 'polite' }, detail)));
    if (chosenKey)
        await groupDetail(ctx, detail, chosenKey);
}

async function groupDetail(ctx, slot, key) {
    replace(slot, loading());
    const g = await api('GET', `/api/v1/groups/${encodeURIComponent(key)}`);
    if (!ctx.alive())
        return;
    const members = g.members || [];
    const rows = members.map((m) => {
        const cells = [h('td', { text: m.display_name }), h('td', {}, h('code', { text: m.login })),
            h('td', { text: t(`role.${m.role}`) })];
        if (can('group.members')) {
            const rm = h('button', { type: 'button', class: 'small secondary', testid: 'member-remove', text: t('remove') });
            rm.addEventListener('click', () => busy(rm, async () => {
                try {
                    await api('DELETE', `/api/v1/groups/${encodeURIComponent(key)}/members/${m.user_id}`, {});
                    toast(t('saved'));
                    resetPeople();
                    await groupDetail(ctx, slot, key);
                } catch (e) {
                    toast(messageOf(e), 'error');
                }
            }));
            cells.push(h('td', {}, rm));
        }
        return h('tr', { testid: 'member-row', dataset: { userId: m.user_id } }, cells);
    });
    const parts = [
        h('h2', { text: g.name }),
        h('p', { class: 'muted' }, h('code', { text: g.key }), ' · ', t(`kind.${g.kind}`)),
        g.duties && g.duties.length ? h('ul', { class: 'duties' }, g.duties.map((d) => h('li', { text: d }))) : null,
        h('p', { class: 'small' }, h('a', { href: `#/duty${qs({ group: key })}`, testid: 'group-duty-link', text: t('admin.g.duty_link') })),
        h('h3', { text: t('admin.members') }),
        members.length ? table('admin-members', ['admin.u.name', 'admin.u.login', 'admin.role',
            ...(can('group.members') ? ['admin.u.actions'] : [])], rows) : emptyState(t('admin.no_members')),
    ];
    if (can('group.members')) {
        const userSel = can('user.list')
            ? select((await apiAll('/api/v1/users')).filter((u) => !u.disabled)
                .map((u) => ({ value: String(u.id), label: `${u.display_name} (${u.login})` })), { testid: 'member-user' })
            : h('input', { type: 'number', min: 1, testid: 'member-user' });
        const role = select(['member', 'deputy', 'lead'].map((r) => ({ value: r, label: t(`role.${r}`) })), { testid: 'member-role' });
        const out = h('div', { class: 'slot' });
        const submit = h('button', { type: 'submit', class: 'primary', testid: 'member-submit', text: t('admin.add_member') });
        const form = h('form', { class: 'inline-form', novalidate: true },
            field(t('admin.member_user'), userSel), field(t('admin.role'), role), submit, out);
        form.addEventListener('submit', (ev) => {
            ev.preventDefault();
            out.replaceChildren();
            busy(submit, async () => {
                try {
                    await api('PUT', `/api/v1/groups/${encodeURIComponent(key)}/members/${encodeURIComponent(userSel.value)}`, { role: role.value });
                    toast(t('saved'));
                    resetPeople();
                    await groupDetail(ctx, slot, key);
                } catch (e) {
                    out.append(errorBox(e));
                }
            });
        });
        parts.push(h('h3', { text: t('admin.add_member') }), form);
    }
    if (can('channel.manage'))
        parts.push(await groupChannels(ctx, slot, key, g.channels || []));
    replace(slot, parts);
}

// The chat channels a group's messages go to: detach each, attach another.
async function groupChannels(ctx, slot, key, attached) {
    const all = await apiAll('/api/v1/channels');
    const enc = encodeURIComponent(key);
    const on = all.filter((c) => attached.includes(c.id));
    const off = all.filter((c) => !attached.includes(c.id) && c.enabled);
    const again = () => groupDetail(ctx, slot, key);
    const rows = on.map((c) => {
        const rm = h('button', { type: 'button', class: 'small secondary', testid: 'group-channel-detach', text: t('admin.g.detach'), 'aria-label': `${t('admin.g.detach')}: ${c.name}` });
        rm.addEventListener('click', () => busy(rm, async () => {
            try {
                await api('DELETE', `/api/v1/groups/${enc}/channels/${c.id}`);
                toast(t('saved'));
                await again();
            } catch (e) {
                toast(messageOf(e), 'error');
            }
        }));
        return h('li', { testid: 'group-channel', dataset: { id: c.id, kind: c.kind } },
            h('strong', { text: c.name }), ' ', h('span', { class: 'badge kind-tag', text: kindLabel(c.kind) }), ' ', rm);
    });
    const parts = [h('h3', { text: t('admin.g.channels') }),
        rows.length ? h('ul', { class: 'mini-list', testid: 'group-channels' }, rows) : emptyState(t('admin.g.no_channels'), 'group-no-channels')];
    if (off.length) {
        const pick = select(off.map((c) => ({ value: String(c.id), label: `${c.name} (${kindLabel(c.kind)})` })), { testid: 'group-channel-pick' });
        const out = h('div', { class: 'slot' });
        const submit = h('button', { type: 'submit', class: 'primary', testid: 'group-channel-attach', text: t('admin.g.attach') });
        const form = h('form', { class: 'inline-form', novalidate: true, 'aria-label': t('admin.g.attach') },
            field(t('admin.g.channel_pick'), pick), submit, out);
        form.addEventListener('submit', (ev) => {
            ev.preventDefault();
            out.replaceChildren();
            busy(submit, async () => {
                try {
                    await api('PUT', `/api/v1/groups/${enc}/channels/${encodeURIComponent(pick.value)}`);
                    toast(t('saved'));
                    await again();
                } catch (e) {
                    out.append(errorBox(e));
                }
            });
        });
        parts.push(form);
    }
    parts.push(h('p', { class: 'small' }, h('a', { href: '#/admin/channels', text: t('admin.g.manage_channels') })));
    return parts;
}

// ---- channels -----------------------------------------------------------------

const CHANNEL_FIELDS = {
    email: [['host', 'text', true], ['port', 'number', false], ['tls', 'tls', false], ['from', 'text', true],
        ['user', 'text', false], ['password', 'password', false]],
    webhook: [['url', 'url', true], ['secret', 'password', true]],
    slack: [['url', 'url', true]],
    dingtalk: [['url', 'url', true], ['secret', 'password', false]],
    wecom: [['url', 'url', true]],
    feishu: [['url', 'url', true], ['secret', 'password', false]],
};

/** A channel kind's name in the reader's language. */
function kindLabel(kind) {
    const key = `admin.ch.kind.${kind}`;
    const s = t(key);
    return s === key ? kind : s;
}

/** A config field's label in the reader's language. */
function fieldLabel(k) {
    const key = `admin.ch.f.${k}`;
    const s = t(key);
    return s === key ? k : s;
}

/** What a channel's config says, as labelled lines (secrets as "set"). */
function configSummary(config) {
    const list = h('dl', { class: 'config-summary small' });
    for (const [k, v] of Object.entries(config)) {
        if (k === 'url_set')
            continue;
        list.append(h('dt', { text: fieldLabel(k) }),
            h('dd', { text: v === '***' ? t('admin.ch.secret_set') : String(v) }));
    }
    return list;
}

async function channelsTab(ctx, body) {
    const channels = await apiAll('/api/v1/channels');
    if (!ctx.alive())
        return;
    const rows = channels.map((c) => {
        const toggle = h('button', { type: 'button', class: 'small secondary', testid: 'channel-toggle', text: c.enabled ? t('admin.disable') : t('admin.enable') });
        toggle.addEventListener('click', () => busy(toggle, async () => {
            try {
                await api('PATCH', `/api/v1/channels/${c.id}`, { enabled: !c.enabled }, { version: c.version });
                toast(t('saved'));
                ctx.rerender();
            } catch (e) {
                toast(messageOf(e), 'error');
            }
        }));
        // A test message now, and what the service said of it.
        const verdict = h('span', { class: 'small', role: 'status', testid: 'channel-test-result' });
        const test = h('button', { type: 'button', class: 'small secondary', testid: 'channel-test', text: t('admin.ch.test') });
        test.addEventListener('click', () => busy(test, async () => {
            verdict.textContent = '';
            try {
                const r = await api('POST', `/api/v1/channels/${c.id}/test`, {});
                verdict.className = ['badge', r.delivered ? 'status-resolved' : 'status-dismissed'].join(' ');
                verdict.textContent = (r.delivered ? t('admin.ch.test_ok')
                    : `${t('admin.ch.test_' + r.outcome)}: ${r.error}`) +
                    (r.code ? ` (${t('admin.ch.test_code')} ${r.code})` : '');
            } catch (e) {
                toast(messageOf(e), 'error');
            }
        }));
        return h('tr', { testid: 'channel-row', dataset: { id: c.id, kind: c.kind } },
            h('td', { text: c.name }), h('td', { text: kindLabel(c.kind) }),
            h('td', {}, configSummary(c.config || {})),
            h('td', { text: c.rate_burst ? `${c.rate_burst} / ${c.rate_period_ms} ms` : t('admin.ch.default_rate') }),
            h('td', {}, h('span', { class: ['badge', c.enabled ? 'status-resolved' : 'status-dismissed'], text: c.enabled ? t('admin.enabled') : t('admin.disabled') })),
            h('td', {}, toggle, ' ', test, ' ', verdict));
    });
    body.append(h('section', { class: 'card', 'aria-labelledby': 'ch-title' },
        h('h2', { id: 'ch-title', text: t('admin.channels') }),
        channels.length ? table('admin-channels', ['admin.ch.name', 'admin.ch.kind', 'admin.ch.config', 'admin.ch.rate',
            'admin.u.state', 'admin.u.actions'], rows) : emptyState(t('admin.no_channels'), 'no-channels')),
    channelForm(ctx));
}

function channelForm(ctx) {
    const name = h('input', { testid: 'channel-name', maxlength: 128 });
    const kind = select(Object.keys(CHANNEL_FIELDS).map((k) => ({ value: k, label: kindLabel(k) })), { testid: 'channel-kind' });
    const enabled = h('input', { type: 'checkbox', checked: true, testid: 'channel-enabled' });
    const configBox = h('fieldset', { class: 'grid-form inner' });
    let inputs = {};
    const drawConfig = () => {
        inputs = {};
        const parts = [h('legend', { text: t('admin.ch.config') })];
        for (const [k, type, required] of CHANNEL_FIELDS[kind.value]) {
            let el;
            if (type === 'tls')
                el = select(['starttls', 'tls', 'none'].map((x) => ({ value: x, label: x })), { testid: `channel-cfg-${k}` });
            else
                el = h('input', { type, testid: `channel-cfg-${k}`, autocomplete: type === 'password' ? 'new-password' : 'off' });
            inputs[k] = { el, required, type };
            parts.push(field(fieldLabel(k), el, required ? {} : { optional: t('optional') }));
        }
        replace(configBox, parts);
    };
    kind.addEventListener('change', drawConfig);
    drawConfig();
    const out = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'channel-submit', text: t('admin.ch.create') });
    const form = h('form', { class: 'stack', novalidate: true },
        h('div', { class: 'grid-form' }, field(t('admin.ch.name'), name), field(t('admin.ch.kind'), kind)),
        configBox, checkField(t('admin.ch.enabled'), enabled), out, h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        out.replaceChildren();
        fieldError(name, null);
        if (!name.value.trim()) {
            fieldError(name, t('required'));
            name.focus();
            return;
        }
        const config = {};
        for (const [k, { el, required, type }] of Object.entries(inputs)) {
            fieldError(el, null);
            const v = el.value.trim();
            if (!v && required) {
                fieldError(el, t('required'));
                el.focus();
                return;
            }
            if (v)
                config[k] = type === 'number' ? Number(v) : v;
        }
        busy(submit, async () => {
            try {
                await api('POST', '/api/v1/channels', { name: name.value.trim(), kind: kind.value, config, enabled: enabled.checked });
                toast(t('saved'));
                ctx.rerender();
            } catch (e) {
                out.append(errorBox(e, 'channel-error'));
            }
        });
    });
    return h('section', { class: 'card', testid: 'channel-form', 'aria-labelledby': 'ch-new' },
        h('h2', { id: 'ch-new', text: t('admin.ch.create') }), form);
}

// ---- delivery log ---------------------------------------------------------------

function eventName(e) {
    const k = `notif.event.${e}`;
    return t(k) === k ? e : t(k);
}

async function deliveryTab(ctx, body) {
    const state = select([{ value: '', label: t('filter.all') },
        ...['pending', 'sent', 'failed', 'merged'].map((s) => ({ value: s, label: t(`notif.state.${s}`) }))],
    { testid: 'delivery-state', value: ctx.query.get('state') || '' });
    const incident = h('input', { testid: 'delivery-incident', value: ctx.query.get('incident') || '', placeholder: 'INC-2026-0001' });
    const go = h('button', { type: 'submit', class: 'secondary', text: t('filter.apply') });
    const form = h('form', { class: 'inline-form', novalidate: true, role: 'search' },
        field(t('filter.state'), state), field(t('filter.incident'), incident), go);
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        ctx.navigate(`#/admin/delivery${qs({ state: state.value, incident: incident.value.trim() })}`);
    });
    state.addEventListener('change', () => form.requestSubmit());
    const tbody = h('tbody', {});
    const more = h('div', { class: 'more' });
    const out = h('div', { class: 'slot' });
    body.append(h('section', { class: 'card', 'aria-labelledby': 'dl-title' },
        h('h2', { id: 'dl-title', text: t('admin.delivery') }), form, out,
        h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'delivery-log' },
            h('thead', {}, h('tr', {}, ['notif.col.created', 'notif.col.event', 'notif.col.recipient', 'notif.col.channel',
                'notif.col.state', 'notif.col.attempts', 'notif.col.acked', 'admin.u.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
            tbody)), more));
    const params = { state: ctx.query.get('state'), incident: ctx.query.get('incident') };
    const channels = new Map();
    if (can('channel.manage'))
        for (const c of await apiAll('/api/v1/channels'))
            channels.set(c.id, `${c.name} (${c.kind})`);
    let count = 0;
    const load = async (cursor) => {
        const page = await api('GET', `/api/v1/notifications${qs({ ...params, limit: 100, cursor })}`);
        if (!ctx.alive())
            return;
        for (const n of page.items) {
            const acts = [];
            if (n.state === 'failed' && can('notification.retry')) {
                const b = h('button', { type: 'button', class: 'small primary', testid: 'notif-retry', text: t('notif.retry') });
                b.addEventListener('click', () => busy(b, async () => {
                    try {
                        await api('POST', `/api/v1/notifications/${n.id}/retry`, {});
                        toast(t('notif.retried'));
                        const badge = b.closest('tr').querySelector('.badge');
                        badge.className = 'badge notif-pending';
                        badge.textContent = t('notif.state.pending');
                        b.remove();
                    } catch (e) {
                        toast(messageOf(e), 'error');
                    }
                }));
                acts.push(b);
            }
            tbody.append(h('tr', { testid: 'delivery-row', dataset: { id: n.id, state: n.state } },
                h('td', {}, timeEl(n.created_at)),
                h('td', {}, h('span', { text: eventName(n.event) }), n.subject ? h('div', { class: 'muted small', text: n.subject }) : null),
                h('td', { text: n.recipient || '—' }),
                h('td', { text: channels.get(n.channel_id) || `#${n.channel_id}` }),
                h('td', {}, h('span', { class: ['badge', `notif-${n.state}`], text: t(`notif.state.${n.state}`) }),
                    n.last_error ? h('div', { class: 'small error-text', text: n.last_error }) : null),
                h('td', { text: String(n.attempts) }),
                h('td', {}, n.acked_at ? [timeEl(n.acked_at), h('div', { class: 'muted small', text: n.acked_by })] : '—'),
                h('td', {}, acts)));
        }
        count += page.items.length;
        replace(out, count ? null : emptyState(t('notif.none'), 'delivery-empty'));
        replace(more);
        if (page.next_cursor) {
            const b = h('button', { type: 'button', class: 'secondary', testid: 'delivery-more', text: t('more') });
            b.addEventListener('click', () => busy(b, () => load(page.next_cursor).catch((e) => replace(out, errorBox(e)))));
            more.append(b);
        }
    };
    await load(null);
}
