/*
 * model.h - a plan version as a typed, read-only struct.
 *
 * The JSON content (plan.h) stays the stored and API form; struct plan
 * is what the use cases read. plan_build() reads a version's content
 * once; after that nothing changes it, so any number of threads may read
 * one struct plan at the same time. It is counted: plan_ref() for each
 * reader that keeps it, plan_unref() when done; the last unref frees it,
 * so a version replaced in a cache stays whole for the readers that
 * still hold it.
 *
 * Strings and texts are borrowed from the content the plan owns: a text
 * is the plan file's T (a string or {"zh-CN": ..., "en": ...}); read it
 * with plan_text(). A missing optional string is "".
 */
#ifndef ERMS_PLAN_MODEL_H
#define ERMS_PLAN_MODEL_H

#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct plan_group {
	const char *key;
	const char *kind;		/* "leadership", "command", "team" */
	const json_t *name;		/* T */
	const json_t *const *duties;	/* T each */
	size_t nduties;
};

struct plan_category {
	const char *key;
	const char *team;		/* a group key, or "*" */
	const char *parent;		/* a category key, or "" */
	const char *class_code;		/* "DE/DETECH", or "" */
	const json_t *name;		/* T */
};

/* A level's targets, in minutes. */
struct plan_targets {
	int ack_min, activate_min, resolve_min;
};

struct plan_measure {
	const char *group;		/* a group key */
	const json_t *title;		/* T */
};

struct plan_level {
	const char *key;
	int rank;			/* 1: the most severe */
	const char *national_level;	/* "I".."IV", or "" */
	const json_t *name;		/* T */
	struct plan_targets targets;
	const struct plan_measure *measures;
	size_t nmeasures;
	const char *const *notify;	/* group keys */
	size_t nnotify;
};

/* A tier of the reporting chain (上报链). */
struct plan_tier {
	int after_min;			/* after the report */
	const char *who;		/* "all" (default), "on_duty", "leads" */
	const char *const *notify;	/* group keys */
	size_t nnotify;
};

/* A yearly drill requirement. */
struct plan_drill_rule {
	const char *category;		/* a category key, or "*" */
	int per_year;
	const char *kind;		/* "any" (default), "tabletop", "live" */
};

struct plan_section {
	const char *key;
	const json_t *title, *body;	/* T */
};

struct plan {
	int64_t version_id;
	const json_t *content;		/* the stored form, owned */
	const char *key;
	const json_t *name;		/* T */
	int cooling_off_h;		/* -1: not set */
	int remind_after_days;		/* acknowledgement reminders, 0: none */
	const struct plan_group *groups;
	size_t ngroups;
	const struct plan_category *categories;
	size_t ncategories;
	const struct plan_level *levels;	/* in file order */
	size_t nlevels;
	const struct plan_tier *tiers;
	size_t ntiers;
	const struct plan_drill_rule *drills;
	size_t ndrills;
	const struct plan_section *sections;
	size_t nsections;
	_Atomic int refs;
};

/*
 * The typed form of content (a plan that plan_parse() accepted), as
 * version version_id, with one reference. Takes a reference of content.
 * NULL when content is not a plan's shape (a list where an object
 * belongs): the store's content is then broken.
 */
struct plan *plan_build(json_t *content, int64_t version_id);

/* One more reader of p; returns p. */
const struct plan *plan_ref(const struct plan *p);
/* A reader is done with p (NULL: nothing); the last one frees it. */
void plan_unref(const struct plan *p);

/* The group, category or level whose key is key, or NULL. */
const struct plan_group *plan_group(const struct plan *p, const char *key);
const struct plan_category *plan_category(const struct plan *p,
					  const char *key);
const struct plan_level *plan_level(const struct plan *p, const char *key);
/* The level of rank rank, or NULL. */
const struct plan_level *plan_level_rank(const struct plan *p, int rank);

#endif
