/*
 * intake-conf.h - an integration's settings that take more than a
 * column (group_by, rules, maintenance windows): checked when an
 * administrator writes them, normalised for storage, and compiled
 * (matchers parsed, regular expressions built) for the alerts a payload
 * brings.
 */
#ifndef ERMS_APP_INTAKE_CONF_H
#define ERMS_APP_INTAKE_CONF_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/alert.h"
#include "plan/model.h"
#include "store/store.h"
#include "util/err.h"

#define INTAKE_RULES_MAX 100		/* rules of an integration */
#define INTAKE_WINDOWS_MAX 100		/* maintenance windows */
#define INTAKE_GROUP_BY_MAX 16		/* labels of group_by */
#define INTAKE_TEXT_MAX 1024		/* bytes of a title or a reason */

/* A routing rule: the first whose matchers match sets what it names. */
struct intake_rule {
	struct matchers match;
	char *category;			/* NULL: not set by the rule */
	char *level;
	char *title;			/* a template (core/alert.h) */
	bool drop;
};

struct intake_conf {
	char **group_by;
	size_t ngroup_by;
	struct intake_rule *rules;
	size_t nrules;
	struct window *windows;
	size_t nwindows;
};

/*
 * Check a's value of the setting and compile it into c (which may be
 * NULL: check only); *norm (may be NULL) receives the normalised JSON
 * to store. ERMS_EINVAL naming the field ("rules[2].matchers[0]").
 * Categories and levels are checked against plan when it is not NULL.
 */
int intake_conf_group_by(const json_t *a, struct intake_conf *c,
			 json_t **norm, struct errbuf *e);
int intake_conf_rules(const json_t *a, const struct plan *plan,
		      struct intake_conf *c, json_t **norm,
		      struct errbuf *e);
int intake_conf_maintenance(const json_t *a, struct intake_conf *c,
			    json_t **norm, struct errbuf *e);
/* The stored settings of r compiled into c. */
int intake_conf_load(const struct integration_row *r, struct intake_conf *c,
		     struct errbuf *e);
void intake_conf_release(struct intake_conf *c);

/*
 * Compiled settings kept between payloads, on the writer's thread (one
 * run at a time uses them): an integration's entry stands while its
 * stored texts (group_by, rules, maintenance) are those it was compiled
 * from, so that any write of the settings is seen at the next payload,
 * committed or not, with nothing to invalidate.
 */
struct intake_conf_cache;

struct intake_conf_cache *intake_conf_cache_new(void);
void intake_conf_cache_free(struct intake_conf_cache *k);
/* r's compiled settings from k (compiled now when r's texts are not
 * those kept): *c is k's, valid until the next call on k; do not
 * release it. */
int intake_conf_cached(struct intake_conf_cache *k,
		       const struct integration_row *r,
		       const struct intake_conf **c, struct errbuf *e);

/* The first rule matching s, or NULL. */
const struct intake_rule *intake_conf_route(const struct intake_conf *c,
					    const struct label_set *s);
/* Is s in a maintenance window at now_ms? */
bool intake_conf_held(const struct intake_conf *c, const struct label_set *s,
		      int64_t now_ms);

#endif
