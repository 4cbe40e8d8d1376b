/*
 * json.h - strict JSON input checks and the encoders of domain structs.
 *
 * json_check() holds a request body to a list of fields: an unknown
 * field, a missing required one or a wrong type is an ERMS_EINVAL naming
 * the field. jansson's json_unpack_ex() can reject unknown keys too, but
 * reports them as text; erms needs the field's name as data for the
 * "field" of its error answers, hence this small table-driven check.
 */
#ifndef ERMS_HTTP_JSON_H
#define ERMS_HTTP_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/codec.h"
#include "core/types.h"
#include "util/err.h"

/* JT_REF: a reference to a row by id or by name, given as a string
 * ("12", "INC-2026-0001") or as a positive integer (12). */
enum jtype { JT_STRING, JT_INT, JT_BOOL, JT_ARRAY, JT_OBJECT, JT_REF };

struct jbody;

struct jfield {
	const char *name;
	enum jtype type;
	bool required;
	size_t max;	/* strings: bytes (0: no limit); ints: largest value */
	size_t min;	/* strings: bytes; ints: smallest value */
	/* Objects: their fields; arrays: the fields of their items, when
	 * they are objects. Checked by the handler, shown in the OpenAPI
	 * document. May be NULL. */
	const struct jbody *of;
	const char *items;	/* arrays of scalars: "string" or "integer" */
	bool nullable;		/* null is accepted too (a reset) */
};

/* A request body: its fields (http/fields.h has them all). */
struct jbody {
	const struct jfield *f;
	size_t n;
};

/* A request body as the server reads it: one JSON value, a key given
 * twice refused; NULL with *je telling why. */
json_t *json_body(const char *data, size_t len, json_error_t *je);
/* Check obj (NULL counts as {}) against fields; unknown keys are errors. */
int json_check(const json_t *obj, const struct jfield *f, size_t n,
	       struct errbuf *e);
/* Field accessors for checked bodies (defaults when absent). */
const char *jstr(const json_t *obj, const char *key, const char *dflt);
int64_t jint(const json_t *obj, const char *key, int64_t dflt);
bool jbool(const json_t *obj, const char *key, bool dflt);
bool jhas(const json_t *obj, const char *key);
/* Copy a checked string field into a fixed buffer (no-op when absent). */
void jcopy(char *dst, size_t n, const json_t *obj, const char *key);

json_t *json_user(const struct user *u);
/* Takes g's duties text as JSON; members may be NULL. */
json_t *json_group(const struct group *g, json_t *members);
json_t *json_token(const struct token_info *t);
json_t *json_audit(const struct audit_row *r);
/* A JSON array of strings from text, or NULL when it is not one. */
json_t *json_string_array(const char *text);

#endif
