/*
 * report.h - the review report of an incident (应急总结报告).
 *
 * The facts, the durations of each step against the level's targets, the
 * timeline, the tasks with their owners, the supplies used, the expenses,
 * the bulletins issued, the messages sent, the review and its action
 * items (tasks of origin "review", done or open as their task is), in
 * zh-CN or en with times in a zone: as Markdown, as one self-contained
 * HTML page (styles embedded), or as a PDF rendered here (doc/pdf.h).
 * Text people wrote is escaped, so it reads as written and never becomes
 * a link, markup or HTML.
 */
#ifndef ERMS_APP_REPORT_H
#define ERMS_APP_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct store;

enum report_format { REPORT_HTML, REPORT_MD, REPORT_PDF };

/* The report of incident `key` (id or number) in lang, times in zone
 * (NULL or "": TZ_DEFAULT), generated at now_ms; free() it, *len bytes.
 * NULL with *rc set on failure. */
char *app_report(struct store *st, const char *key, const char *lang,
		 const char *zone, enum report_format f, int64_t now_ms,
		 size_t *len, int *rc);

#endif
