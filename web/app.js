// The erms console: sign-in for now. Talks only to the API; never puts
// data into innerHTML; sends the CSRF token on every write.

const text = {
    'zh-CN': {
        tagline: '应急响应管理系统', signin: '登录', login: '登录名',
        password: '密码', welcome: '欢迎', signedin: '已登录：',
        groups: '所属小组：', signout: '退出登录', other: 'English',
        none: '无', failed: '登录失败',
    },
    en: {
        tagline: 'Emergency Response Management', signin: 'Sign in',
        login: 'Login', password: 'Password', welcome: 'Welcome',
        signedin: 'Signed in as', groups: 'Groups:', signout: 'Sign out',
        other: '中文', none: 'none', failed: 'Sign-in failed',
    },
};

let lang = localStorage.getItem('erms.lang') ||
    (navigator.language.startsWith('zh') ? 'zh-CN' : 'en');
let csrf = null;

const $ = (id) => document.getElementById(id);

function t(key) {
    return text[lang][key];
}

function render() {
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll('[data-i18n]'))
        el.textContent = t(el.dataset.i18n);
    $('lang').textContent = t('other');
}

async function api(method, path, body) {
    const headers = { 'Accept-Language': lang };
    if (body !== undefined)
        headers['Content-Type'] = 'application/json';
    if (csrf && method !== 'GET')
        headers['X-CSRF-Token'] = csrf;
    const res = await fetch(path, {
        method, headers, credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = res.status === 204 ? null : await res.json();
    if (!res.ok)
        throw new Error(data && data.error ? data.error.message : res.statusText);
    return data;
}

async function showHome() {
    const me = await api('GET', '/api/v1/me');
    $('who').textContent = `${me.user.display_name} (${me.user.login})`;
    $('groups').textContent = me.groups.length
        ? me.groups.map((g) => `${g.key} (${g.role})`).join(', ')
        : t('none');
    $('signin').hidden = true;
    $('home').hidden = false;
}

async function start() {
    render();
    try {
        const s = await api('GET', '/api/v1/session');
        csrf = s.csrf_token;
        await showHome();
    } catch {
        $('signin').hidden = false;
        $('home').hidden = true;
    }
}

$('signin-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const err = $('signin-error');
    err.hidden = true;
    try {
        const s = await api('POST', '/api/v1/session', {
            login: $('login').value, password: $('password').value,
        });
        csrf = s.csrf_token;
        $('password').value = '';
        await showHome();
    } catch (e) {
        err.textContent = `${t('failed')}: ${e.message}`;
        err.hidden = false;
    }
});

$('signout').addEventListener('click', async () => {
    await api('DELETE', '/api/v1/session').catch(() => {});
    csrf = null;
    $('home').hidden = true;
    $('signin').hidden = false;
});

$('lang').addEventListener('click', () => {
    lang = lang === 'en' ? 'zh-CN' : 'en';
    localStorage.setItem('erms.lang', lang);
    render();
});

start();
