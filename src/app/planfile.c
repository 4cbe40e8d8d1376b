/*
 * planfile.c - plan files parsed and checked (app/planfile.h).
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

int app_plan_validate(const char *file, const char *text, size_t len,
		      json_t *errors)
{
	json_t *content = NULL;
	int rc = plan_parse(file, text, len, &content, errors);

	json_decref(content);
	return rc;
}

const char *app_plan_text(const json_t *t, const char *lang)
{
	return plan_text(t, lang);
}
