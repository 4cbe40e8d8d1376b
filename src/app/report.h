/*
 * report.h - the review report of an incident (应急总结报告).
 *
 * The facts, the durations of each step against the level's targets, the
 * timeline, the tasks, the review and its action items, in Markdown, or
 * in HTML for printing. zh-CN or en. Text people wrote is escaped, so it
 * reads as written and never becomes a link, markup or HTML.
 */
#ifndef ERMS_APP_REPORT_H
#define ERMS_APP_REPORT_H

struct store;

/* The report of incident `key` (id or number) in lang; free() it.
 * NULL with *rc set on failure. */
char *app_report_markdown(struct store *st, const char *key, const char *lang,
			  int *rc);
/* The same as a complete, printable HTML page; free() it. */
char *app_report_html(struct store *st, const char *key, const char *lang,
		      int *rc);

#endif
