/*
 * diff.c - what changed between two versions of a plan.
 *
 * Structured parts are compared field by field. Lists of things with a
 * key (groups, categories, levels, sections) are matched by key, so that
 * moving an item is not a change and a changed target reads as
 * "levels[level-1].targets.activate_min: 15 -> 10". Measures are matched
 * by title, drill rules by category. Markdown bodies get a line diff.
 */
#include "plan/plan.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define LINES_MAX 1000	/* larger bodies are shown as replaced whole */

static void change(json_t *out, const char *path, const char *op,
		   const json_t *from, const json_t *to)
{
	json_t *c = json_pack("{s:s, s:s}", "path", path, "op", op);

	if (from)
		json_object_set(c, "from", (json_t *)from);
	if (to)
		json_object_set(c, "to", (json_t *)to);
	json_array_append_new(out, c);
}

/* An item's identity within its list, or NULL when it has none. */
static char *identity(const json_t *v)
{
	const char *fields[] = { "key", "title", "category" };

	if (!json_is_object(v))
		return NULL;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_t *f = json_object_get(v, fields[i]);

		if (json_is_string(f))
			return xstrdup(json_string_value(f));
		if (json_is_object(f))
			return xstrdup(plan_text(f, "zh-CN"));
	}
	return NULL;
}

struct lines {
	const char **p;
	size_t *len;
	size_t n;
};

static void split(const char *s, struct lines *l)
{
	size_t cap = 16;

	l->n = 0;
	l->p = xmalloc(cap * sizeof(*l->p));
	l->len = xmalloc(cap * sizeof(*l->len));
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		if (l->n == cap) {
			cap *= 2;
			l->p = xrealloc(l->p, cap * sizeof(*l->p));
			l->len = xrealloc(l->len, cap * sizeof(*l->len));
		}
		l->p[l->n] = s;
		l->len[l->n++] = len;
		s += len + (nl ? 1 : 0);
	}
}

static bool same_line(const struct lines *a, size_t i, const struct lines *b,
		      size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->p[i], b->p[j], a->len[i]);
}

static void line(json_t *arr, const char *op, const char *p, size_t n)
{
	json_array_append_new(arr, json_pack("{s:s, s:s%}", "op", op, "text",
					     p, n));
}

/* A line diff from the longest common subsequence of the two texts. */
static void text_diff(json_t *out, const char *path, const char *a,
		      const char *b)
{
	struct lines la, lb;
	json_t *lines = json_array();
	uint32_t *dp;
	size_t i, j, w;

	split(a, &la);
	split(b, &lb);
	if (la.n > LINES_MAX || lb.n > LINES_MAX) {
		for (i = 0; i < la.n; i++)
			line(lines, "-", la.p[i], la.len[i]);
		for (j = 0; j < lb.n; j++)
			line(lines, "+", lb.p[j], lb.len[j]);
		goto done;
	}
	w = lb.n + 1;
	dp = xcalloc((la.n + 1) * w, sizeof(*dp));
	for (i = la.n; i-- > 0;)
		for (j = lb.n; j-- > 0;)
			dp[i * w + j] = same_line(&la, i, &lb, j)
				? dp[(i + 1) * w + j + 1] + 1
				: dp[(i + 1) * w + j] > dp[i * w + j + 1]
				? dp[(i + 1) * w + j] : dp[i * w + j + 1];
	for (i = 0, j = 0; i < la.n || j < lb.n;) {
		if (i < la.n && j < lb.n && same_line(&la, i, &lb, j)) {
			line(lines, " ", la.p[i], la.len[i]);
			i++, j++;
		} else if (j < lb.n && (i == la.n ||
					dp[i * w + j + 1] > dp[(i + 1) * w + j])) {
			line(lines, "+", lb.p[j], lb.len[j]);
			j++;
		} else {
			line(lines, "-", la.p[i], la.len[i]);
			i++;
		}
	}
	free(dp);
done:
	json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "path", path,
					     "op", "text", "lines", lines));
	free(la.p);
	free(la.len);
	free(lb.p);
	free(lb.len);
}

static void diff_value(json_t *out, const char *path, const json_t *a,
		       const json_t *b);

/* "levels[level-1]" + "targets" -> "levels[level-1].targets" */
static char *field_path(const char *path, const char *name)
{
	return xasprintf("%s%s%s", path, *path ? "." : "", name);
}

static void diff_object(json_t *out, const char *path, const json_t *a,
			const json_t *b)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)a, k, v) {
		char *p = field_path(path, k);
		json_t *w = json_object_get(b, k);

		if (w)
			diff_value(out, p, v, w);
		else
			change(out, p, "removed", v, NULL);
		free(p);
	}
	json_object_foreach((json_t *)b, k, v) {
		char *p;

		if (json_object_get(a, k))
			continue;
		p = field_path(path, k);
		change(out, p, "added", NULL, v);
		free(p);
	}
}

/* The item of list whose identity is id, or NULL. */
static json_t *by_identity(const json_t *list, const char *id)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v) {
		char *x = identity(v);
		bool same = x && !strcmp(x, id);

		free(x);
		if (same)
			return v;
	}
	return NULL;
}

static bool keyed(const json_t *a, const json_t *b)
{
	const json_t *lists[] = { a, b };

	for (int l = 0; l < 2; l++) {
		size_t i;
		json_t *v;

		json_array_foreach(lists[l], i, v) {
			char *x = identity(v);

			if (!x)
				return false;
			free(x);
		}
	}
	return json_array_size(a) || json_array_size(b);
}

static void diff_array(json_t *out, const char *path, const json_t *a,
		       const json_t *b)
{
	size_t i;
	json_t *v;

	if (keyed(a, b)) {
		json_array_foreach(a, i, v) {
			char *id = identity(v);
			char *p = xasprintf("%s[%s]", path, id);
			json_t *w = by_identity(b, id);

			if (w)
				diff_value(out, p, v, w);
			else
				change(out, p, "removed", v, NULL);
			free(p);
			free(id);
		}
		json_array_foreach(b, i, v) {
			char *id = identity(v);

			if (!by_identity(a, id)) {
				char *p = xasprintf("%s[%s]", path, id);

				change(out, p, "added", NULL, v);
				free(p);
			}
			free(id);
		}
		return;
	}
	/* Plain values (duties, notify lists): what left, what came. */
	json_array_foreach(a, i, v) {
		size_t j;
		json_t *w;
		bool found = false;

		json_array_foreach(b, j, w)
			found = found || json_equal(v, w);
		if (!found)
			change(out, path, "removed", v, NULL);
	}
	json_array_foreach(b, i, v) {
		size_t j;
		json_t *w;
		bool found = false;

		json_array_foreach(a, j, w)
			found = found || json_equal(v, w);
		if (!found)
			change(out, path, "added", NULL, v);
	}
}

static void diff_value(json_t *out, const char *path, const json_t *a,
		       const json_t *b)
{
	if (json_equal(a, b))
		return;
	if (json_is_object(a) && json_is_object(b))
		diff_object(out, path, a, b);
	else if (json_is_array(a) && json_is_array(b))
		diff_array(out, path, a, b);
	else if (json_is_string(a) && json_is_string(b) &&
		 (strchr(json_string_value(a), '\n') ||
		  strchr(json_string_value(b), '\n')))
		text_diff(out, path, json_string_value(a),
			  json_string_value(b));
	else
		change(out, path, "changed", a, b);
}

/*
 * Where change c is, for a reader: its section (the top field, "levels"),
 * the item of that list ("level-1", "" for a plain field) and the field
 * within it ("targets.activate_min", "" for the item as a whole).
 */
static void place(json_t *c)
{
	const char *path = json_string_value(json_object_get(c, "path"));
	size_t top = strcspn(path, "[.");
	const char *rest = path + top, *item = "", *end;
	size_t ilen = 0;

	if (*rest == '[' && (end = strstr(rest, "]."))) {
		item = rest + 1;
		ilen = (size_t)(end - item);
		rest = end + 2;
	} else if (*rest == '[' && path[strlen(path) - 1] == ']') {
		item = rest + 1;
		ilen = strlen(item) - 1;
		rest = "";
	} else if (*rest == '.') {
		rest++;
	}
	json_object_set_new(c, "section", json_stringn(path, top));
	json_object_set_new(c, "item", json_stringn(item, ilen));
	json_object_set_new(c, "field", json_string(rest));
}

json_t *plan_diff(const json_t *a, const json_t *b)
{
	json_t *out = json_array(), *c;
	size_t i;

	diff_value(out, "", a, b);
	json_array_foreach(out, i, c)
		place(c);
	return out;
}
