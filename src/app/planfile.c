/*
 * planfile.c - a plan file sent to the API, parsed and checked.
 */
#include "app/planfile.h"

#include <string.h>

#include "plan/plan.h"

int app_plan_file(const struct principal *p, const json_t *body,
		  app_shape_fn *shape, json_t **content, json_t *errors,
		  struct errbuf *e)
{
	const char *yaml, *file;
	int rc = app_may(p, A_PLAN_IMPORT, NULL, e);

	*content = NULL;
	if (!rc)
		rc = shape(body, e);
	if (rc)
		return rc;
	yaml = json_string_value(json_object_get(body, "yaml"));
	file = json_string_value(json_object_get(body, "file"));
	if (!plan_parse(file ? file : "plan.yaml", yaml ? yaml : "",
			yaml ? strlen(yaml) : 0, content, errors))
		return 0;
	errbuf_field(e, "yaml");
	return err_ret(e, ERMS_EINVAL, "invalid_plan",
		       "the plan file has %zu problem(s): %s",
		       json_array_size(errors),
		       json_string_value(json_object_get(
			       json_array_get(errors, 0), "text")));
}
