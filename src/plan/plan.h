/*
 * plan.h - emergency plan files: parse and validate, export, diff, render.
 *
 * A plan's content lives as canonical JSON (jansson): the shape of the
 * plan file (docs/plan-format.md), with the file's key order, texts kept
 * as written (a string, or {"zh-CN": ..., "en": ...}). Everything else in
 * erms reads that JSON. This module does no I/O: it parses from memory
 * (libfyaml), renders Markdown to HTML in memory (md4c) and diffs trees.
 */
#ifndef ERMS_PLAN_PLAN_H
#define ERMS_PLAN_PLAN_H

#include <jansson.h>
#include <stddef.h>

#define PLAN_ERRORS_MAX 100
/* A plan file's limits: its size in bytes, and how many values (scalars,
 * lists and mappings) it holds. A real plan is some 25 KB of 2,000
 * values; the limits bound the cost of a hostile one. */
#define PLAN_FILE_MAX (1024 * 1024)
#define PLAN_VALUES_MAX 50000

/*
 * Parse and validate a plan file named `file` (used in messages only).
 * On success returns 0 and *content (a new reference). Otherwise returns
 * ERMS_EINVAL and appends to `errors` one object per problem:
 *   {"line": 12, "column": 5, "message": "...",
 *    "text": "plan.yaml:12:5: ..."}
 * Lines and columns count from 1. Refused before any meaning: a file over
 * PLAN_FILE_MAX bytes or PLAN_VALUES_MAX values, bytes that are not UTF-8
 * or a NUL, more than one document, aliases, a key given twice in a
 * mapping. The cost is linear in the file.
 */
int plan_parse(const char *file, const char *text, size_t len,
	       json_t **content, json_t *errors);

/* The plan as a YAML file; free() it. plan_parse(export(x)) equals x. */
char *plan_export(const json_t *content, size_t *len);

/*
 * The changes from `a` to `b`, a new array of
 *   {"path": "levels[level-1].targets.activate_min", "op": "changed",
 *    "from": 15, "to": 10}
 * with op "added" (only "to"), "removed" (only "from"), "changed", or
 * "text" for Markdown bodies: {"op": "text", "lines": [{"op": "-"|"+"|" ",
 * "text": "..."}]} (a line-level diff). Each change also says where it is
 * for a reader: "section" (the path's top field, "levels"), "item" (the
 * key of the list's item, "level-1", or "") and "field" (the rest of the
 * path within the item, "targets.activate_min", or "").
 */
json_t *plan_diff(const json_t *a, const json_t *b);

/* Markdown to HTML (GitHub dialect, raw HTML shown as text); free() it. */
char *plan_markdown_html(const char *md, size_t len);

/* The item of content's list ("groups", "levels", ...) whose key is key,
 * or NULL. Borrowed. */
json_t *plan_item(const json_t *content, const char *list, const char *key);

/* A text T in lang ("zh-CN"/"en"), falling back to the other; "" if none. */
const char *plan_text(const json_t *t, const char *lang);

/*
 * A copy of content for reading in lang: every section gains "body_html",
 * its body rendered to HTML. New reference.
 */
json_t *plan_render(const json_t *content, const char *lang);

/*
 * One bilingual plan from two of the same shape, one written in Chinese
 * and one in English: each text becomes {"zh-CN": ..., "en": ...}. NULL
 * when they differ in anything but their texts. New reference.
 */
json_t *plan_bilingual(const json_t *zh, const json_t *en);

#endif
