/*
 * export.c - a plan's content back to a YAML file.
 *
 * The JSON tree is rebuilt as a libfyaml document and emitted in block
 * style. Strings get no quotes unless they need them: the emitter quotes
 * what would not read back as the same text, and strings that would read
 * back as another type (numbers, true, null, "") are built double-quoted.
 * Multi-line Markdown comes out as a literal block. So the file is one a
 * person edits comfortably, and reading it back gives the same content.
 */
#include "plan/plan.h"

#include <libfyaml.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

/* Would this string, written plain, read back as something else? */
static bool ambiguous(const char *s)
{
	static const char *const words[] = { "true", "false", "null", "~",
					     "True", "False", "Null", "TRUE",
					     "FALSE", "NULL", "yes", "no" };
	char *end;

	if (!*s)
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(s, words[i]))
			return true;
	(void)strtod(s, &end);
	return *end == '\0';
}

static struct fy_node *build(struct fy_document *fyd, const json_t *j)
{
	struct fy_node *n = NULL;
	const char *k;
	json_t *v;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		n = fy_node_create_mapping(fyd);
		json_object_foreach((json_t *)j, k, v)
			fy_node_mapping_append(
				n, fy_node_create_scalar_copy(fyd, k, strlen(k)),
				build(fyd, v));
		break;
	case JSON_ARRAY:
		n = fy_node_create_sequence(fyd);
		json_array_foreach(j, i, v)
			fy_node_sequence_append(n, build(fyd, v));
		break;
	case JSON_STRING:
		if (ambiguous(json_string_value(j))) {
			char *q = json_dumps(j, JSON_ENCODE_ANY);

			n = fy_node_build_from_string(fyd, q, strlen(q));
			free(q);
		} else {
			n = fy_node_create_scalar_copy(fyd,
						       json_string_value(j),
						       json_string_length(j));
		}
		break;
	case JSON_INTEGER:
		n = fy_node_create_scalarf(fyd, "%lld",
					   (long long)json_integer_value(j));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		n = fy_node_create_scalarf(fyd, "%s",
					   json_is_true(j) ? "true" : "false");
		break;
	default:
		n = fy_node_create_scalarf(fyd, "null");
		break;
	}
	return n;
}

char *plan_export(const json_t *content, size_t *len)
{
	struct fy_document *fyd = fy_document_create(NULL);
	struct buf b = BUF_INIT;
	char *yaml = NULL;

	if (fyd) {
		fy_document_set_root(fyd, build(fyd, content));
		yaml = fy_emit_document_to_string(
			fyd, FYECF_MODE_PRETTY | FYECF_WIDTH_INF);
	}
	buf_adds(&b, "# erms plan file (docs/plan-format.md)\n");
	if (yaml)
		buf_adds(&b, yaml);
	free(yaml);
	fy_document_destroy(fyd);
	return buf_detach(&b, len);
}
