/*
 * client.c - HTTP for the client commands (libcurl), and tables.
 */
#include "cli/client.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cli/cli.h"
#include "util/xalloc.h"

int client_init(struct client *c, int *argc, char **argv)
{
	const char *server = getenv("ERMS_SERVER");
	int out = 1;

	memset(c, 0, sizeof(*c));
	c->token = getenv("ERMS_TOKEN");
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json")) {
			c->json = true;
			cli_json_errors = true;
		} else if (!strcmp(a, "--all")) {
			c->all = true;
		} else if (!strcmp(a, "--server") || !strcmp(a, "--token") ||
			   !strcmp(a, "--cursor")) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "erms: %s %s\n", a,
					L("needs a value", "需要一个值"));
				return 2;
			}
			if (!strcmp(a, "--server"))
				server = argv[++i];
			else if (!strcmp(a, "--token"))
				c->token = argv[++i];
			else
				c->cursor = argv[++i];
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	c->server = xstrdup(server && *server ? server
					      : "http://127.0.0.1:8080");
	if (c->server[0] && c->server[strlen(c->server) - 1] == '/')
		c->server[strlen(c->server) - 1] = '\0';
	c->curl = curl_easy_init();
	if (!c->curl)
		return 1;
	/* The cookie engine keeps the session (login) across the requests;
	 * set once: the handle is reused without a reset (client_call). */
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
	return 0;
}

void client_release(struct client *c)
{
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c->server);
	c->curl = NULL;
	c->server = NULL;
}

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	return buf_add(ud, p, size * n) ? 0 : size * n;
}

int client_call(struct client *c, const char *method, const char *path,
		const json_t *body, int *status, json_t **out, struct buf *raw)
{
	CURL *h = c->curl;
	struct curl_slist *hdr = NULL;
	struct buf b;
	char *url = xasprintf("%s%s", c->server, path), *auth = NULL;
	char *csrf = NULL, *match = NULL;
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	long code = 0;
	CURLcode rc;

	buf_init(&b, 64u << 20);
	/* Every option a request sets is set again by the next one (a
	 * reset would drop the cookie engine's pending list and leak it). */
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);	/* no body of before */
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	hdr = curl_slist_append(hdr, cli_zh() ? "Accept-Language: zh-CN"
					      : "Accept-Language: en");
	if (c->token) {
		auth = xasprintf("Authorization: Bearer %s", c->token);
		hdr = curl_slist_append(hdr, auth);
	}
	if (c->csrf) {
		csrf = xasprintf("X-CSRF-Token: %s", c->csrf);
		hdr = curl_slist_append(hdr, csrf);
	}
	if (c->if_match) {
		match = xasprintf("If-Match: %s", c->if_match);
		hdr = curl_slist_append(hdr, match);
	}
	if (text) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, text);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(hdr);
	free(auth);
	free(csrf);
	free(match);
	free(text);
	free(url);
	if (rc != CURLE_OK) {
		char *why = xasprintf("%s %s: %s", L("cannot reach", "无法连接"),
				      c->server, curl_easy_strerror(rc));

		client_fail(1, "unreachable", why);
		free(why);
		buf_release(&b);
		return 1;
	}
	*status = (int)code;
	*out = b.len ? json_loadb(b.data, b.len, 0, NULL) : NULL;
	if (raw) {
		buf_release(raw);
		*raw = b;
	} else {
		buf_release(&b);
	}
	return 0;
}

int client_expect(struct client *c, const char *method, const char *path,
		  const json_t *body, int want, json_t **out)
{
	int status, rc = client_call(c, method, path, body, &status, out, NULL);

	if (rc)
		return rc;
	if (status != want) {
		rc = client_error(status, *out);
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	if (c->json) {
		if (*out)
			client_print_json(*out);
		json_decref(*out);
		*out = NULL;
	}
	return 0;
}

int client_download(struct client *c, char *path)
{
	struct buf raw = BUF_INIT;
	json_t *out = NULL;
	int status, rc = client_call(c, "GET", path, NULL, &status, &out, &raw);

	free(path);
	if (!rc && status != 200)
		rc = client_error(status, out);
	else if (!rc)
		fwrite(raw.data, 1, raw.len, stdout);
	json_decref(out);
	buf_release(&raw);
	return rc;
}

const char *jfield(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "-";
}

int client_fail(int rc, const char *code, const char *msg)
{
	if (cli_json_errors) {
		json_t *j = json_pack("{s:{s:s, s:s}}", "error", "code", code,
				      "message", msg);

		json_dumpf(j, stderr, JSON_COMPACT);
		fputc('\n', stderr);
		json_decref(j);
	} else {
		fprintf(stderr, "erms: %s\n", msg);
	}
	return rc;
}

int client_error(int status, const json_t *answer)
{
	json_t *e = json_object_get(answer, "error");
	json_t *d;
	size_t i;

	const char *msg = json_string_value(json_object_get(e, "message"));
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *field = json_string_value(json_object_get(e, "field"));
	int rc = status == 400 ? 2 : 1;

	if (cli_json_errors) {
		/* The API's own error object; an answer that is not one (a
		 * proxy's page) as one with the status for its code. */
		json_t *j = json_is_object(e) ? json_incref((json_t *)answer)
			: json_pack("{s:{s:s, s:i}}", "error", "code",
				    "http_status", "status", status);

		json_dumpf(j, stderr, JSON_COMPACT);
		fputc('\n', stderr);
		json_decref(j);
		return rc;
	}
	fprintf(stderr, "erms: %s%s%s (%d %s)\n",
		msg ? msg : L("request failed", "请求失败"),
		field && (!msg || !strstr(msg, field)) ? ": " : "",
		field && (!msg || !strstr(msg, field)) ? field : "", status,
		code ? code : "");
	json_array_foreach(json_object_get(e, "details"), i, d)
		fprintf(stderr, "%s\n",
			json_string_value(json_object_get(d, "text")));
	return rc;
}

char *cli_urlencode(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	char *copy = xstrdup(e ? e : "");

	curl_free(e);
	return copy;
}

void client_print_json(const json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2));
	putchar('\n');
}

void table_init(struct table *t, int ncol, ...)
{
	json_t *row = json_array();
	va_list ap;

	t->ncol = ncol;
	t->rows = json_array();
	va_start(ap, ncol);
	for (int i = 0; i < ncol; i++)
		json_array_append_new(row, json_string(va_arg(ap, const char *)));
	va_end(ap);
	json_array_append_new(t->rows, row);
}

void table_row(struct table *t, ...)
{
	json_t *row = json_array();
	va_list ap;

	va_start(ap, t);
	for (int i = 0; i < t->ncol; i++) {
		const char *s = va_arg(ap, const char *);

		json_array_append_new(row, json_string(s ? s : ""));
	}
	va_end(ap);
	json_array_append_new(t->rows, row);
}

int text_width(const char *s)
{
	mbstate_t st;
	int w = 0;
	size_t n = strlen(s);

	memset(&st, 0, sizeof(st));
	while (n) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2) {
			w++;
			s++;
			n--;
			memset(&st, 0, sizeof(st));
			continue;
		}
		if (!k)
			break;
		cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
		s += k;
		n -= k;
	}
	return w;
}

void table_print(struct table *t)
{
	int *wid = xcalloc((size_t)t->ncol, sizeof(int));
	json_t *row;
	size_t r;

	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "en_US.UTF-8");
	json_array_foreach(t->rows, r, row)
		for (int i = 0; i < t->ncol; i++) {
			int w = text_width(json_string_value(json_array_get(row, i)));

			if (w > wid[i])
				wid[i] = w;
		}
	json_array_foreach(t->rows, r, row) {
		int last = t->ncol - 1;

		while (last > 0 &&
		       !*json_string_value(json_array_get(row, last)))
			last--;		/* no blanks at the end of a line */
		for (int i = 0; i <= last; i++) {
			const char *s = json_string_value(json_array_get(row, i));

			fputs(s, stdout);
			if (i < last)
				printf("%*s", wid[i] - text_width(s) + 2, "");
		}
		putchar('\n');
	}
	free(wid);
	json_decref(t->rows);
	t->rows = NULL;
}

const char *cli_opt(int argc, char **argv, const char *name)
{
	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

int cli_positional(int argc, char **argv, char **out, int max)
{
	int n = 0;

	for (int i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "--", 2)) {
			i++;
			continue;
		}
		if (n == max)
			return -1;
		out[n++] = argv[i];
	}
	return n;
}

int client_get(struct client *c, char *path, json_t **out)
{
	int rc = client_expect(c, "GET", path, NULL, 200, out);

	free(path);
	return rc;
}

/* path with "cursor=C" added to its query. */
static char *with_cursor(const char *path, const char *cursor)
{
	char *esc = cli_urlencode(cursor);
	char *p = xasprintf("%s%scursor=%s", path,
			    strchr(path, '?') ? "&" : "?", esc);

	free(esc);
	return p;
}

int client_list(struct client *c, char *path, json_t **out)
{
	bool json = c->json;
	char *p = c->cursor ? with_cursor(path, c->cursor) : xstrdup(path);
	json_t *all = NULL;
	int rc;

	c->json = false;
	for (;;) {
		const char *next;
		json_t *page = NULL;

		rc = client_expect(c, "GET", p, NULL, 200, &page);
		free(p);
		p = NULL;
		if (rc)
			break;
		if (!all) {
			all = page;
		} else {
			json_array_extend(json_object_get(all, "items"),
					  json_object_get(page, "items"));
			json_object_set(all, "next_cursor",
					json_object_get(page, "next_cursor"));
			json_decref(page);
		}
		next = json_string_value(json_object_get(all, "next_cursor"));
		if (!next || !*next)
			break;
		if (!c->all) {
			if (!json)
				fprintf(stderr, "%s: --cursor %s\n",
					L("next", "下一页"), next);
			break;
		}
		p = with_cursor(path, next);
	}
	c->json = json;
	free(path);
	if (rc) {
		json_decref(all);
		all = NULL;
	} else if (json) {
		client_print_json(all);
		json_decref(all);
		all = NULL;
	}
	*out = all;
	return rc;
}

int client_edit(struct client *c, const char *method, char *path,
		const char *to, json_t *body, client_edit_fn *edit, void *ctx,
		int want, json_t **out)
{
	bool json = c->json;
	json_t *read = NULL, *v;
	const json_t *obj;
	char tag[32] = "";
	int rc;

	c->json = false;
	rc = client_expect(c, "GET", path, NULL, 200, &read);
	c->json = json;
	obj = read;
	if (!rc && edit)
		rc = edit(body, read, ctx, &obj);
	if (!rc && (v = json_object_get(obj, "version")) &&
	    json_is_integer(v))
		snprintf(tag, sizeof(tag), "\"%lld\"",
			 (long long)json_integer_value(v));
	if (!rc) {
		c->if_match = tag[0] ? tag : NULL;
		rc = client_expect(c, method, to ? to : path, body, want, out);
		c->if_match = NULL;
	}
	json_decref(read);
	free(path);
	return rc;
}

int cli_set_fields(int argc, char **argv, const char *flag, json_t *obj)
{
	for (int i = 1; i + 1 < argc; i++) {
		const char *a = argv[i + 1], *eq;
		json_t *v;

		if (strcmp(argv[i], flag))
			continue;
		i++;
		eq = strchr(a, '=');
		if (!eq || eq == a || (eq == a + 1 && a[0] == ':'))
			return cli_bad(L("wanted KEY=VALUE or KEY:=JSON",
					 "须为 键=值 或 键:=JSON"), a);
		if (eq[-1] == ':') {
			v = json_loads(eq + 1, JSON_DECODE_ANY, NULL);
			if (!v)
				return cli_bad(L("not JSON", "不是有效的 JSON"),
					       a);
			json_object_setn_new(obj, a, (size_t)(eq - 1 - a), v);
		} else {
			json_object_setn_new(obj, a, (size_t)(eq - a),
					     json_string(eq + 1));
		}
	}
	return 0;
}

int cli_yesno(int argc, char **argv, const char *flag, json_t *body,
	      const char *key)
{
	const char *s = cli_opt(argc, argv, flag);

	if (!s)
		return 0;
	if (strcmp(s, "yes") && strcmp(s, "no"))
		return cli_bad(flag, s);
	json_object_set_new(body, key, json_boolean(!strcmp(s, "yes")));
	return 0;
}

void cli_text_fields(int argc, char **argv, const char *const (*map)[2],
		     size_t n, json_t *body)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = cli_opt(argc, argv, map[i][0]);

		if (v)
			json_object_set_new(body, map[i][1], json_string(v));
	}
}

int cli_parse_int(const char *s, long long *v)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int cli_parse_cents(const char *s, long long *cents)
{
	long long whole = 0, frac = 0;
	int digits = 0;
	const char *p = s;

	if (!s || !*s)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (LLONG_MAX - 9) / 1000)
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (p == s)
		return -1;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9' && digits < 2; p++, digits++)
			frac = frac * 10 + (*p - '0');
	if (*p)
		return -1;
	*cents = whole * 100 + (digits == 1 ? frac * 10 : frac);
	return 0;
}

void cli_money(long long cents, char out[32])
{
	snprintf(out, 32, "%s%lld.%02lld", cents < 0 ? "-" : "",
		 (cents < 0 ? -cents : cents) / 100,
		 (cents < 0 ? -cents : cents) % 100);
}

int cli_bad(const char *what, const char *value)
{
	char *m = xasprintf("%s: %s", what, value ? value : "");
	int rc = client_fail(2, "invalid", m);

	free(m);
	return rc;
}

const char *jint_str(const json_t *o, const char *key, char buf[24])
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		return "-";
	snprintf(buf, 24, "%lld", (long long)json_integer_value(v));
	return buf;
}
