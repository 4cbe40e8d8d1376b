/*
 * planfile.h - a plan file sent to the API, read before it is imported.
 *
 * Parsing is slow for a big file, so it runs before the write (on the
 * I/O thread); the import itself (app/plans.h) takes the parsed content.
 */
#ifndef ERMS_APP_PLANFILE_H
#define ERMS_APP_PLANFILE_H

#include <jansson.h>

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

#endif
