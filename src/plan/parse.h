/*
 * parse.h - inside plan_parse(): the schema tables, the parse's context,
 * its error reporting and the checks of its two passes. Only src/plan/
 * includes this.
 *
 *   parse.c   YAML (libfyaml) to JSON against the schema, with positions
 *   schema.c  the schema tables of a plan file
 *   text.c    bytes and scalars: UTF-8, NUL, keys, codes, token text
 *   check.c   the second pass: meaning over the JSON
 */
#ifndef ERMS_PLAN_PARSE_H
#define ERMS_PLAN_PARSE_H

#include <jansson.h>
#include <libfyaml.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "plan/plan.h"

enum ft {
	FT_KEY,		/* a key: [a-z][a-z0-9_-]{0,63} */
	FT_REF,		/* a key naming something else, or "*" */
	FT_REFS,	/* a list of keys */
	FT_TEXT,	/* T: a string or {zh-CN, en} */
	FT_TEXTS,	/* a list of T */
	FT_INT,
	FT_ENUM,
	FT_CONST,	/* a string that must equal enums[0] */
	FT_CODE,	/* a GB/T 20986-2023 class code */
	FT_OBJ,
	FT_LIST,	/* a list of sub */
};

struct schema;

struct field {
	const char *name;
	enum ft t;
	bool req;
	const struct schema *sub;
	const char *const *enums;
	long min, max;
};

struct schema {
	const char *what;
	const struct field *f;
	size_t n;
};

/* The schema of a whole plan file (schema.c). */
extern const struct schema pp_plan_schema;

struct pos {
	const json_t *j;
	int line, col;
};

struct ctx {
	const char *file;
	json_t *errors;
	struct pos *pos;
	size_t npos, cap;
	const char *text;	/* the file, for the raw text of scalars */
	size_t len;
	struct fy_document *fyd;
	size_t values;		/* nodes seen by shape() */
	json_t *gidx, *cidx;	/* groups and categories by key: index_of() */
	struct text *texts;	/* what scalar() assembled, freed at the end */
	const json_t *root;	/* the plan pp_check() checks, for paths */
};

struct text {
	struct text *next;
	char s[];
};

/* An error at line:col of the file (ignored past PLAN_ERRORS_MAX). */
void pp_err_at(struct ctx *c, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* An error at the place the JSON value j was read from. */
void pp_err_json(struct ctx *c, const json_t *j, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * A problem's text from its English format and arguments: en as printf
 * writes it, zh from msg.c's table (en again when the table lacks fmt).
 */
void pp_msg(const char *fmt, va_list ap, char *en, size_t en_n, char *zh,
	    size_t zh_n) __attribute__((format(printf, 1, 0)));
/* Where node n starts (lines and columns from 1). */
void pp_node_pos(struct fy_node *n, int *line, int *col);
/* An error at node n, with its path in the file. */
void pp_err_node(struct ctx *c, struct fy_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define err_node(c, n, ...) pp_err_node((c), (n), __VA_ARGS__)

/* The whole file: its size, UTF-8 only, no NUL (reported). */
bool pp_bytes_ok(struct ctx *c, const char *text, size_t len);
/* A scalar's text is safe to copy (reported when not). */
bool pp_scalar_ok(struct ctx *c, struct fy_node *n);
/* The text of a scalar node (owned by the parse), or NULL. */
const char *pp_scalar(struct ctx *c, struct fy_node *n, size_t *len);
/* Is n a plain (unquoted) scalar? */
bool pp_is_plain(struct fy_node *n);
/* A key: [a-z][a-z0-9_-]{0,63}. */
bool pp_key_ok(const char *s, size_t n);
/* A GB/T 20986-2023 class code, e.g. DE or DE/DETECH. */
bool pp_code_ok(const char *s, size_t n);

/*
 * The second pass over a plan that has its shape: duplicate keys,
 * references to groups and categories, ranks, the chain's order, the
 * drill requirements. Fills c->gidx and c->cidx (the caller frees them).
 */
void pp_check(struct ctx *c, const json_t *plan);

#endif
