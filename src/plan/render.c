/*
 * render.c - plan texts for reading: language choice and Markdown.
 *
 * Markdown goes through md4c with MD_FLAG_NOHTML: raw HTML in a section
 * (a <script>, an <img onerror>) is not passed through but escaped and
 * shown as text, so a plan's author cannot run code in a reader's browser.
 * Links and images keep only http, https and mailto addresses; others
 * (javascript:, data:, vbscript:, ...) are taken out of md4c's output.
 */
#include "plan/plan.h"

#include <md4c-html.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xalloc.h"

json_t *plan_item(const json_t *content, const char *list, const char *key)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(content, list), i, v) {
		const char *k = json_string_value(json_object_get(v, "key"));

		if (k && !strcmp(k, key))
			return v;
	}
	return NULL;
}

const char *plan_text(const json_t *t, const char *lang)
{
	const char *other = strcmp(lang, "en") ? "en" : "zh-CN";
	const char *s;

	if (json_is_string(t))
		return json_string_value(t);
	s = json_string_value(json_object_get(t, lang));
	if (!s)
		s = json_string_value(json_object_get(t, other));
	return s ? s : "";
}

static void out(const MD_CHAR *p, MD_SIZE n, void *ud)
{
	buf_add(ud, p, n);
}

/* May a link or an image go to the attribute value v (as md4c wrote it,
 * HTML-escaped)? Only http, https and mailto, spelt out literally: an
 * entity (javascript&#58;) or anything else is refused. */
static bool url_ok(const char *v, size_t n)
{
	static const char *const schemes[] = { "http://", "https://",
					       "mailto:" };

	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t k = strlen(schemes[i]);

		if (n >= k && !strncasecmp(v, schemes[i], k))
			return true;
	}
	return false;
}

/* The value of attribute name (e.g. " alt=\"") in the tag [p, end), or
 * NULL; *n its length. */
static const char *attr(const char *p, const char *end, const char *name,
			size_t *n)
{
	size_t k = strlen(name);
	const char *q;

	for (; p + k <= end; p++)
		if (!memcmp(p, name, k)) {
			p += k;
			q = memchr(p, '"', (size_t)(end - p));
			if (!q)
				return NULL;
			*n = (size_t)(q - p);
			return p;
		}
	return NULL;
}

/*
 * Copy md4c's HTML, taking out links and images to other schemes. With
 * MD_FLAG_NOHTML every "<" of the text is escaped, so each "<a href=" and
 * "<img src=" in the output is a tag md4c made, and each attribute value
 * ends at the next '"'. A refused link becomes <a> (its text stays, as
 * text); a refused image becomes its alt text.
 */
static void keep_safe_urls(struct buf *o, const char *h, size_t len)
{
	static const char a_tag[] = "<a href=\"", img_tag[] = "<img src=\"";
	const char *p = h, *end = h + len;

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		const char *gt, *v, *q, *alt;
		size_t skip, n, altn = 0;
		bool img;

		if (!lt)
			lt = end;
		buf_add(o, p, (size_t)(lt - p));
		if (lt == end)
			break;
		p = lt;
		img = (size_t)(end - p) >= sizeof(img_tag) - 1 &&
		      !memcmp(p, img_tag, sizeof(img_tag) - 1);
		skip = img ? sizeof(img_tag) - 1 : sizeof(a_tag) - 1;
		if (!img && ((size_t)(end - p) < skip ||
			     memcmp(p, a_tag, skip))) {
			buf_add(o, p, 1);
			p++;
			continue;
		}
		v = p + skip;
		q = memchr(v, '"', (size_t)(end - v));
		gt = q ? memchr(q, '>', (size_t)(end - q)) : NULL;
		if (!gt)
			break;	/* not md4c's: drop the rest */
		n = (size_t)(q - v);
		if (url_ok(v, n)) {
			buf_add(o, p, (size_t)(gt + 1 - p));
		} else if (img) {
			alt = attr(v + n, gt, " alt=\"", &altn);
			if (alt)
				buf_add(o, alt, altn);
		} else {
			buf_adds(o, "<a>");
		}
		p = gt + 1;
	}
}

char *plan_markdown_html(const char *md, size_t len)
{
	struct buf b = BUF_INIT, safe = BUF_INIT;
	/* md4c 0.4.8 runs strcspn() over its input, so it reads past len
	 * unless a NUL follows (a "---" line after text does it, as the
	 * plan fuzzer found): hand it a terminated copy. */
	char *copy = xmalloc(len + 1);

	memcpy(copy, md, len);
	copy[len] = '\0';
	md_html(copy, (MD_SIZE)len, out, &b,
		MD_DIALECT_GITHUB | MD_FLAG_NOHTML, 0);
	free(copy);
	buf_adds(&safe, "");
	keep_safe_urls(&safe, b.data ? b.data : "", b.len);
	buf_release(&b);
	return buf_detach(&safe, NULL);
}

json_t *plan_render(const json_t *content, const char *lang)
{
	json_t *c = json_deep_copy(content);
	json_t *sec;
	size_t i;

	json_array_foreach(json_object_get(c, "sections"), i, sec) {
		const char *md = plan_text(json_object_get(sec, "body"), lang);
		char *html = plan_markdown_html(md, strlen(md));

		json_object_set_new(sec, "body_html", json_string(html));
		free(html);
	}
	return c;
}

/*
 * Walk two trees of the same shape; where a and b hold different strings,
 * the result holds {"zh-CN": a, "en": b}. NULL when the shapes differ.
 */
static json_t *merge(const json_t *zh, const json_t *en)
{
	json_t *out, *v;
	const char *k;
	size_t i;

	if (json_is_string(zh) && json_is_string(en))
		return json_equal(zh, en)
			? json_deep_copy(zh)
			: json_pack("{s:O, s:O}", "zh-CN", zh, "en", en);
	if (json_typeof(zh) != json_typeof(en))
		return NULL;
	if (json_is_object(zh)) {
		out = json_object();
		json_object_foreach((json_t *)zh, k, v) {
			json_t *m = merge(v, json_object_get(en, k));

			if (!m || json_object_size(zh) != json_object_size(en)) {
				json_decref(m);
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, k, m);
		}
		return out;
	}
	if (json_is_array(zh)) {
		if (json_array_size(zh) != json_array_size(en))
			return NULL;
		out = json_array();
		json_array_foreach(zh, i, v) {
			json_t *m = merge(v, json_array_get(en, i));

			if (!m) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, m);
		}
		return out;
	}
	return json_equal(zh, en) ? json_deep_copy(zh) : NULL;
}

json_t *plan_bilingual(const json_t *zh, const json_t *en)
{
	return merge(zh, en);
}
