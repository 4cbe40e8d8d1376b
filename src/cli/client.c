/*
 * client.c - HTTP for the client commands (libcurl), and tables.
 */
#include "cli/client.h"

#include <curl/curl.h>
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
		} else if (!strcmp(a, "--server") || !strcmp(a, "--token")) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "erms: %s %s\n", a,
					L("needs a value", "需要一个值"));
				return 2;
			}
			if (!strcmp(a, "--server"))
				server = argv[++i];
			else
				c->token = argv[++i];
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
	return c->curl ? 0 : 1;
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
	char *csrf = NULL;
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	long code = 0;
	CURLcode rc;

	buf_init(&b, 64u << 20);
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");	/* keep the session */
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
	free(text);
	free(url);
	if (rc != CURLE_OK) {
		fprintf(stderr, "erms: %s %s: %s\n",
			L("cannot reach", "无法连接"), c->server,
			curl_easy_strerror(rc));
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

int client_error(int status, const json_t *answer)
{
	json_t *e = json_object_get(answer, "error");
	json_t *d;
	size_t i;

	const char *msg = json_string_value(json_object_get(e, "message"));
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *field = json_string_value(json_object_get(e, "field"));

	fprintf(stderr, "erms: %s%s%s (%d %s)\n",
		msg ? msg : L("request failed", "请求失败"),
		field && (!msg || !strstr(msg, field)) ? ": " : "",
		field && (!msg || !strstr(msg, field)) ? field : "", status,
		code ? code : "");
	json_array_foreach(json_object_get(e, "details"), i, d)
		fprintf(stderr, "%s\n",
			json_string_value(json_object_get(d, "text")));
	return status == 400 ? 2 : 1;
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

/* Columns a string takes on a terminal: CJK characters take two. */
static int width(const char *s)
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

	setlocale(LC_CTYPE, "C.UTF-8");
	json_array_foreach(t->rows, r, row)
		for (int i = 0; i < t->ncol; i++) {
			int w = width(json_string_value(json_array_get(row, i)));

			if (w > wid[i])
				wid[i] = w;
		}
	json_array_foreach(t->rows, r, row) {
		for (int i = 0; i < t->ncol; i++) {
			const char *s = json_string_value(json_array_get(row, i));

			fputs(s, stdout);
			if (i < t->ncol - 1)
				printf("%*s", wid[i] - width(s) + 2, "");
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
