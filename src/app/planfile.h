/*
 * planfile.h - a plan file sent to the API, read before it is imported;
 * a plan file checked locally; a plan's text in one language.
 *
 * Parsing is slow for a big file, so it runs before the write (on the
 * I/O thread); the import itself (app/plans.h) takes the parsed content.
 */
#ifndef ERMS_APP_PLANFILE_H
#define ERMS_APP_PLANFILE_H

#include <jansson.h>
#include <stddef.h>

#include "app/app.h"

/*
 * Body {yaml, file?}: the right to import plans, then shape(body), then
 * the file parsed into *content (the caller's). A file with problems is
 * ERMS_EINVAL (code "invalid_plan", field "yaml") with every problem
 * appended to `errors`.
 */
int app_plan_file(const struct principal *p, const json_t *body,
		  app_shape_fn *shape, json_t **content, json_t *errors,
		  struct errbuf *e);

/*
 * Check the plan file `file` (its name for messages only; text, len: its
 * content) without a database, as erms plan validate does. Returns 0
 * when it is a valid plan, else ERMS_EINVAL with one object per problem
 * appended to `errors`, {"line", "column", "message", "text"}, "text"
 * being "file:line:column: message".
 */
int app_plan_validate(const char *file, const char *text, size_t len,
		      json_t *errors);

/*
 * A plan text t (a string, or {"zh-CN": ..., "en": ...}, as plans and
 * the API give them) in lang ("zh-CN" or "en"), else in the other
 * language; "" if none. Borrowed from t.
 */
const char *app_plan_text(const json_t *t, const char *lang);

#endif
