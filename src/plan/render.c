/*
 * render.c - plan texts for reading: language choice and Markdown.
 *
 * Markdown goes through md4c with MD_FLAG_NOHTML: raw HTML in a section
 * (a <script>, an <img onerror>) is not passed through but escaped and
 * shown as text, so a plan's author cannot run code in a reader's browser.
 */
#include "plan/plan.h"

#include <md4c-html.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

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

char *plan_markdown_html(const char *md, size_t len)
{
	struct buf b = BUF_INIT;

	md_html(md, (MD_SIZE)len, out, &b,
		MD_DIALECT_GITHUB | MD_FLAG_NOHTML, 0);
	return buf_detach(&b, NULL);
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
