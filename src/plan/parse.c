/*
 * parse.c - plan files: YAML to canonical JSON, with every problem
 * reported as file:line:column.
 *
 * Two passes. The first walks the YAML tree (libfyaml) against the
 * schema tables (schema.c): unknown fields, missing fields and wrong
 * types, while it builds the JSON and remembers where each JSON value
 * came from. The second (check.c) checks meaning over the JSON
 * (duplicate keys, references to groups and categories, ranks 1..N, the
 * reporting chain's order) and finds positions in that record. Nothing
 * is kept unless both pass. The checks of bytes and scalars are text.c's.
 */
#include "plan/plan.h"

#include <libfyaml.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/parse.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Bytes that are not UTF-8 (a name libfyaml cut in the middle of a
 * character, a file name) become '?': a JSON string must be UTF-8, and
 * an error that cannot be written would be lost. */
static void scrub(char *s)
{
	size_t n = strlen(s), w;

	for (size_t i = 0; i < n; i += w)
		if (!(w = utf8_char((const unsigned char *)s + i, n - i)))
			s[i] = '?', w = 1;
}

/* One problem at line:col (path: where in the plan, "" if unknown), in
 * English and in Chinese (msg.c). */
static void verr(struct ctx *c, int line, int col, const char *path,
		 const char *fmt, va_list ap)
{
	char en[256], zh[512], text[512];

	if (json_array_size(c->errors) >= PLAN_ERRORS_MAX)
		return;
	pp_msg(fmt, ap, en, sizeof(en), zh, sizeof(zh));
	scrub(en);
	scrub(zh);
	snprintf(text, sizeof(text), "%s:%d:%d: %s", c->file, line, col, en);
	scrub(text);
	json_array_append_new(c->errors,
			      json_pack("{s:i, s:i, s:s, s:s, s:s, s:{s:s, s:s}}",
					"line", line, "column", col,
					"path", path, "message", en,
					"text", text, "messages", "zh-CN", zh,
					"en", en));
}

void pp_err_at(struct ctx *c, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(c, line, col, "", fmt, ap);
	va_end(ap);
}

/* Append one step of a path: ".name" ("name" first), or "[i]". */
static void path_step(struct buf *b, const char *s, size_t n)
{
	bool index = n > 0;

	for (size_t i = 0; i < n; i++)
		index &= s[i] >= '0' && s[i] <= '9';
	if (index)
		buf_addf(b, "[%.*s]", (int)n, s);
	else
		buf_addf(b, "%s%.*s", b->len ? "." : "", (int)n, s);
}

/*
 * Into b the path of n from the document's root ("levels[0].key"), walked
 * up through its parents and written on the way back down; its innermost
 * 64 steps when it is deeper.
 *
 * Not fy_node_get_path(): libfyaml 0.7.12 formats the keys on the way
 * with the same length estimate pp_scalar() avoids (text.c), and leaks
 * what it formatted for some quoted keys.
 */
static void node_path(struct ctx *c, struct fy_node *n, struct buf *b,
		      int depth)
{
	struct fy_node *p = n ? fy_node_get_parent(n) : NULL;
	void *it = NULL;

	if (!p || depth >= 64)
		return;
	node_path(c, p, b, depth + 1);
	if (fy_node_is_sequence(p)) {
		struct fy_node *x;
		char i[24];
		int k = 0;

		while ((x = fy_node_sequence_iterate(p, &it)) && x != n)
			k++;
		path_step(b, i, (size_t)snprintf(i, sizeof(i), "%d", k));
	} else if (fy_node_is_mapping(p)) {
		struct fy_node_pair *pr;
		const char *s = NULL;
		size_t len = 0;

		while ((pr = fy_node_mapping_iterate(p, &it))) {
			struct fy_node *k = fy_node_pair_key(pr);

			if (fy_node_pair_value(pr) == n || k == n) {
				s = pp_scalar(c, k, &len);
				break;
			}
		}
		path_step(b, s ? s : "?", s ? len : 1);
	}
}

void pp_err_node(struct ctx *c, struct fy_node *n, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	int line, col;

	if (json_array_size(c->errors) >= PLAN_ERRORS_MAX)
		return;
	pp_node_pos(n, &line, &col);
	node_path(c, n, &b, 0);
	if (b.len)
		scrub(b.data);	/* a key's text may not be UTF-8 */
	va_start(ap, fmt);
	verr(c, line, col, buf_str(&b), fmt, ap);
	va_end(ap);
	buf_release(&b);
}

/* Into b the path from v to j ("levels[0].targets"); true when found. */
static bool path_to(const json_t *v, const json_t *j, struct buf *b)
{
	size_t len = b->len;
	const char *k;
	json_t *x;
	size_t i;

	if (v == j)
		return true;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, x) {
			path_step(b, k, strlen(k));
			if (path_to(x, j, b))
				return true;
			b->len = len;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			buf_addf(b, "[%zu]", i);
			if (path_to(x, j, b))
				return true;
			b->len = len;
		}
	}
	if (b->data)
		b->data[len] = 0;
	return false;
}

/* For an empty collection: the key it is the value of, else NULL. */
static struct fy_node *key_of(struct fy_node *n)
{
	struct fy_node *parent = fy_node_get_parent(n);
	struct fy_node_pair *p;
	void *it = NULL;

	if (!parent || fy_node_get_type(parent) != FYNT_MAPPING)
		return NULL;
	while ((p = fy_node_mapping_iterate(parent, &it)))
		if (fy_node_pair_value(p) == n)
			return fy_node_pair_key(p);
	return NULL;
}

/*
 * Where node n starts. libfyaml 0.7 marks tokens, not nodes, so a
 * collection is placed at its first pp_scalar (a mapping's first key), and
 * an empty one at the key it belongs to.
 */
void pp_node_pos(struct fy_node *n, int *line, int *col)
{
	const struct fy_mark *m = NULL;
	void *it = NULL;

	while (n && fy_node_get_type(n) != FYNT_SCALAR) {
		struct fy_node *first;

		if (fy_node_get_type(n) == FYNT_MAPPING) {
			struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);

			first = p ? fy_node_pair_key(p) : NULL;
		} else {
			first = fy_node_sequence_iterate(n, &it);
		}
		n = first ? first : key_of(n);
		it = NULL;
	}
	if (n && fy_node_get_scalar_token(n))
		m = fy_token_start_mark(fy_node_get_scalar_token(n));
	*line = m ? m->line + 1 : 1;
	*col = m ? m->column + 1 : 1;
}

/* Remember where j came from; returns j. */
static json_t *at(struct ctx *c, struct fy_node *n, json_t *j)
{
	if (!j)
		return NULL;
	if (c->npos == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->pos = xrealloc(c->pos, c->cap * sizeof(*c->pos));
	}
	c->pos[c->npos].j = j;
	pp_node_pos(n, &c->pos[c->npos].line, &c->pos[c->npos].col);
	c->npos++;
	return j;
}

/* An error at the place the JSON value j was read from. */
void pp_err_json(struct ctx *c, const json_t *j, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	int line = 1, col = 1;

	if (json_array_size(c->errors) >= PLAN_ERRORS_MAX)
		return;
	for (size_t i = 0; i < c->npos; i++)
		if (c->pos[i].j == j) {
			line = c->pos[i].line;
			col = c->pos[i].col;
			break;
		}
	if (!c->root || !path_to(c->root, j, &b))
		buf_reset(&b);
	va_start(ap, fmt);
	verr(c, line, col, b.len ? buf_str(&b) : "", fmt, ap);
	va_end(ap);
	buf_release(&b);
}

static bool shape(struct ctx *c, struct fy_node *n);

/*
 * A mapping's keys are each checked, and each name is seen once: the
 * names go into a hash (a jansson object), so a mapping of N keys costs
 * N look-ups, not libfyaml's N * N comparisons (which its
 * FYPCF_ALLOW_DUPLICATE_KEYS turns off).
 */
static bool mapping_ok(struct ctx *c, struct fy_node *n)
{
	json_t *seen = json_object();
	struct fy_node_pair *p;
	void *it = NULL;
	bool ok = true;

	while (ok && (p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		const char *s;
		size_t len;
		json_t *first;
		int line, col;

		ok = shape(c, k) && shape(c, fy_node_pair_value(p));
		if (!ok || !(s = pp_scalar(c, k, &len)))
			continue;
		pp_node_pos(k, &line, &col);
		first = json_object_getn(seen, s, len);
		if (first) {
			pp_err_at(c, line, col,
				  "'%.64s' is given twice (first "
				  "on line %d)",
				  s, (int)json_integer_value(first));
			ok = false;
		} else {
			json_object_setn_new(seen, s, len, json_integer(line));
		}
	}
	json_decref(seen);
	return ok;
}

/*
 * First look at the whole tree, before any meaning: at most
 * PLAN_VALUES_MAX nodes, no aliases (anchored or not), no duplicate keys,
 * scalars safe to copy. Linear in the file; false after the first
 * problem, reported.
 */
static bool shape(struct ctx *c, struct fy_node *n)
{
	struct fy_node *item;
	void *it = NULL;

	if (!n)
		return true;
	if (++c->values > PLAN_VALUES_MAX) {
		err_node(c, n, "the file holds more than %d values",
			 PLAN_VALUES_MAX);
		return false;
	}
	switch (fy_node_get_type(n)) {
	case FYNT_SCALAR:
		return pp_scalar_ok(c, n);
	case FYNT_MAPPING:
		return mapping_ok(c, n);
	case FYNT_SEQUENCE:
		while ((item = fy_node_sequence_iterate(n, &it)))
			if (!shape(c, item))
				return false;
		return true;
	}
	return false;
}

static json_t *convert(struct ctx *c, struct fy_node *n,
		       const struct field *f);

/*
 * Anchors and aliases are refused: a plan is read by people, and aliases
 * are how "billion laughs" documents blow up a parser's memory.
 */
static bool alias(struct ctx *c, struct fy_node *n)
{
	if (!n || fy_node_get_style(n) != FYNS_ALIAS)
		return false;
	err_node(c, n, "aliases (*name) are not supported in plan files");
	return true;
}

static json_t *text_of(struct ctx *c, struct fy_node *n, const char *name)
{
	const char *s;
	size_t len;

	if (alias(c, n))
		return NULL;
	if ((s = pp_scalar(c, n, &len))) {
		if (pp_is_plain(n) && (!len || !strcmp(s, "~") ||
				    !strcmp(s, "null"))) {
			err_node(c, n, "'%s' must not be empty", name);
			return NULL;
		}
		return at(c, n, json_stringn(s, len));
	}
	if (n && fy_node_get_type(n) == FYNT_MAPPING) {
		json_t *o = json_object();
		struct fy_node_pair *p;
		void *it = NULL;

		while ((p = fy_node_mapping_iterate(n, &it))) {
			struct fy_node *k = fy_node_pair_key(p);
			struct fy_node *v = fy_node_pair_value(p);
			const char *ks = pp_scalar(c, k, &len), *vs;
			size_t vl;
			char lang[8];

			if (!ks || (strcmp(ks, "zh-CN") && strcmp(ks, "en"))) {
				err_node(c, k, "'%s' takes only the languages "
					 "zh-CN and en", name);
				json_decref(o);
				return NULL;
			}
			if (!(vs = pp_scalar(c, v, &vl))) {
				err_node(c, v, "'%s' in %.*s must be text",
					 name, (int)len, ks);
				json_decref(o);
				return NULL;
			}
			snprintf(lang, sizeof(lang), "%.*s", (int)len, ks);
			json_object_set_new(o, lang, json_stringn(vs, vl));
		}
		if (!json_object_size(o)) {
			err_node(c, n, "'%s' needs zh-CN or en text", name);
			json_decref(o);
			return NULL;
		}
		return at(c, n, o);
	}
	err_node(c, n, "'%s' must be text, or {zh-CN: ..., en: ...}", name);
	return NULL;
}

/*
 * A mapping against schema s. Problems are reported and the faulty field
 * left out, but the object is kept, so that the second pass can still
 * find the other problems of the file; only a non-mapping gives NULL.
 */
static json_t *object_of(struct ctx *c, struct fy_node *n,
			 const struct schema *s)
{
	json_t *o;
	struct fy_node_pair *p;
	void *it = NULL;
	bool seen[32] = { false };

	if (alias(c, n))
		return NULL;
	if (!n || fy_node_get_type(n) != FYNT_MAPPING) {
		err_node(c, n, "a %s must be a mapping of fields", s->what);
		return NULL;
	}
	o = at(c, n, json_object());
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		const char *ks;
		size_t len, i;
		json_t *v;
		char *name;

		if (!(ks = pp_scalar(c, k, &len))) {
			err_node(c, k, "field names must be text");
			continue;
		}
		for (i = 0; i < s->n; i++)
			if (strlen(s->f[i].name) == len &&
			    !strncmp(s->f[i].name, ks, len))
				break;
		if (i == s->n) {
			err_node(c, k, "unknown field '%.*s' in %s", (int)len,
				 ks, s->what);
			continue;
		}
		seen[i] = true;
		v = convert(c, fy_node_pair_value(p), &s->f[i]);
		if (!v)
			continue;
		name = xstrndup(ks, len);
		json_object_set_new(o, name, v);
		free(name);
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->f[i].req && !seen[i])
			err_node(c, n, "%s is missing field '%s'", s->what,
				 s->f[i].name);
	return o;
}

static json_t *list_of(struct ctx *c, struct fy_node *n,
		       const struct field *f)
{
	json_t *a;
	struct fy_node *item;
	void *it = NULL;

	if (!n || fy_node_get_type(n) != FYNT_SEQUENCE) {
		err_node(c, n, "'%s' must be a list", f->name);
		return NULL;
	}
	a = at(c, n, json_array());
	while ((item = fy_node_sequence_iterate(n, &it))) {
		json_t *v;


		if (f->t == FT_LIST)
			v = object_of(c, item, f->sub);
		else if (f->t == FT_TEXTS)
			v = text_of(c, item, f->name);
		else
			v = convert(c, item, &(struct field){ .name = f->name,
							  .t = FT_REF });
		if (v)
			json_array_append_new(a, v);
	}
	return a;
}

static json_t *convert(struct ctx *c, struct fy_node *n,
		       const struct field *f)
{
	const char *s;
	size_t len;

	if (alias(c, n))
		return NULL;
	switch (f->t) {
	case FT_TEXT:
		return text_of(c, n, f->name);
	case FT_OBJ:
		return object_of(c, n, f->sub);
	case FT_LIST:
	case FT_TEXTS:
	case FT_REFS:
		return list_of(c, n, f);
	default:
		break;
	}
	if (!(s = pp_scalar(c, n, &len))) {
		err_node(c, n, "'%s' must be a single value", f->name);
		return NULL;
	}
	switch (f->t) {
	case FT_INT: {
		char buf[32], *end;
		long v;

		if (!pp_is_plain(n) || !len || len >= sizeof(buf))
			goto not_int;
		memcpy(buf, s, len);
		buf[len] = '\0';
		v = strtol(buf, &end, 10);
		if (*end)
			goto not_int;
		if (v < f->min || v > f->max) {
			err_node(c, n, "'%s' must be from %ld to %ld, not %ld",
				 f->name, f->min, f->max, v);
			return NULL;
		}
		return at(c, n, json_integer(v));
	not_int:
		err_node(c, n, "'%s' must be a whole number", f->name);
		return NULL;
	}
	case FT_KEY:
	case FT_REF:
		if (f->t == FT_REF && len == 1 && s[0] == '*')
			return at(c, n, json_string("*"));
		if (!pp_key_ok(s, len)) {
			err_node(c, n, "'%.*s' is not a valid key for '%s' "
				 "(a-z, 0-9, '_', '-', starting with a letter)",
				 (int)(len > 64 ? 64 : len), s, f->name);
			return NULL;
		}
		return at(c, n, json_stringn(s, len));
	case FT_ENUM:
	case FT_CONST:
		for (int i = 0; f->enums[i]; i++)
			if (strlen(f->enums[i]) == len &&
			    !strncmp(f->enums[i], s, len))
				return at(c, n, json_stringn(s, len));
		if (f->t == FT_CONST) {
			err_node(c, n, "'%s' must be '%s'", f->name,
				 f->enums[0]);
		} else {
			char all[96];
			size_t used = 0;

			for (int i = 0; f->enums[i] && used < sizeof(all); i++)
				used += (size_t)snprintf(all + used,
							 sizeof(all) - used,
							 "%s%s", i ? ", " : "",
							 f->enums[i]);
			err_node(c, n, "'%s' must be one of %s", f->name, all);
		}
		return NULL;
	case FT_CODE:
		if (!pp_code_ok(s, len)) {
			err_node(c, n, "'%.*s' is not a GB/T 20986-2023 class "
				 "code (e.g. DE or DE/DETECH)",
				 (int)(len > 32 ? 32 : len), s);
			return NULL;
		}
		return at(c, n, json_stringn(s, len));
	default:
		return NULL;
	}
}

/* Second pass: meaning. Fields the first pass rejected are absent. */

/* The string field `key` of o, or "" when absent. */
static void yaml_errors(struct ctx *c, struct fy_diag *diag, const char *text,
			size_t len)
{
	struct fy_diag_error *e;
	void *it = NULL;
	bool any = false;

	while ((e = fy_diag_errors_iterate(diag, &it))) {
		pp_err_at(c, e->line + 1, e->column + 1, "YAML: %s", e->msg);
		any = true;
	}
	if (any)
		return;
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i])) {
			pp_err_at(c, 1, 1, "not a YAML document");
			return;
		}
	pp_err_at(c, 1, 1, "the file is empty");
}

/*
 * The one document of the file, or NULL (reported). A second document
 * ("---" again) is refused rather than ignored. libfyaml's own check for
 * duplicate keys is off (it compares every key with every other); shape()
 * does it in linear time.
 */
static struct fy_document *load(struct ctx *c, struct fy_diag *diag,
				const char *text, size_t len)
{
	struct fy_parse_cfg pcfg = { .flags = FYPCF_QUIET |
					      FYPCF_ALLOW_DUPLICATE_KEYS,
				     .diag = diag };
	struct fy_parser *fyp = fy_parser_create(&pcfg);
	struct fy_document *fyd = NULL, *next = NULL;

	if (!fyp || fy_parser_set_string(fyp, len ? text : "", len)) {
		pp_err_at(c, 1, 1, "the file cannot be read as YAML");
		goto out;
	}
	fyd = fy_parse_load_document(fyp);
	if (fyd && !fy_parser_get_stream_error(fyp))
		next = fy_parse_load_document(fyp);
	if (!fyd || fy_parser_get_stream_error(fyp)) {
		yaml_errors(c, diag, text, len);
		fy_document_destroy(fyd);
		fyd = NULL;
	} else if (next) {
		err_node(c, fy_document_root(next), "a plan file holds one "
			 "YAML document, not several ('---' again)");
		fy_document_destroy(fyd);
		fyd = NULL;
	}
out:
	fy_document_destroy(next);
	fy_parser_destroy(fyp);
	return fyd;
}

int plan_parse(const char *file, const char *text, size_t len,
	       json_t **content, json_t *errors)
{
	struct ctx c = { .file = file, .errors = errors, .text = text,
			 .len = len };
	struct fy_diag_cfg dcfg;
	struct fy_diag *diag;
	json_t *plan = NULL;
	size_t before = json_array_size(errors);

	*content = NULL;
	if (!pp_bytes_ok(&c, text, len))
		return ERMS_EINVAL;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.colorize = false;
	diag = fy_diag_create(&dcfg);
	if (!diag)
		return ERMS_EINVAL;
	fy_diag_set_collect_errors(diag, true);
	c.fyd = load(&c, diag, text, len);
	if (c.fyd && !fy_document_root(c.fyd))
		pp_err_at(&c, 1, 1, "the file is empty");
	else if (c.fyd && shape(&c, fy_document_root(c.fyd)))
		plan = object_of(&c, fy_document_root(c.fyd), &pp_plan_schema);
	if (plan) {
		pp_check(&c, plan);
	}
	json_decref(c.gidx);
	json_decref(c.cidx);
	fy_document_destroy(c.fyd);
	fy_diag_destroy(diag);
	free(c.pos);
	while (c.texts) {
		struct text *next = c.texts->next;

		free(c.texts);
		c.texts = next;
	}
	if (json_array_size(errors) > before || !plan) {
		/* Whatever refused it, the refusal says so. */
		if (json_array_size(errors) == before)
			pp_err_at(&c, 1, 1,
				  "the file cannot be read as a plan");
		json_decref(plan);
		return ERMS_EINVAL;
	}
	*content = plan;
	return 0;
}
