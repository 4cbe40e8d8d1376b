/*
 * planrules.c - targets of a level and measures to tasks.
 */
#include "core/planrules.h"

#include <string.h>

void targets_of_report(struct incident *inc, const struct level_targets *level,
		       int chain_ack_min)
{
	inc->ack_min = level ? level->ack_min : 0;
	inc->activate_min = level ? level->activate_min : 0;
	inc->resolve_min = 0;
	if (chain_ack_min > 0)
		inc->ack_min = chain_ack_min;
}

void targets_of_level(struct incident *inc, const struct level_targets *level)
{
	inc->resolve_min = level->resolve_min;
}

static bool same(const struct measure_ref *a, const struct measure_ref *b)
{
	return !strcmp(a->group, b->group) && !strcmp(a->title, b->title);
}

size_t measures_to_take(const struct measure_ref *m, size_t n,
			const struct measure_ref *have, size_t nhave,
			bool *take)
{
	size_t taken = 0;

	for (size_t i = 0; i < n; i++) {
		take[i] = true;
		for (size_t j = 0; take[i] && j < nhave; j++)
			take[i] = !same(&m[i], &have[j]);
		for (size_t j = 0; take[i] && j < i; j++)
			take[i] = !(take[j] && same(&m[i], &m[j]));
		taken += take[i];
	}
	return taken;
}
