/*
 * planrules.h - the rules that read a plan's levels: which targets an
 * incident runs under and which of a level's measures become tasks.
 * Pure: no I/O; the plan's fields come in as plain values (plan/model.h
 * holds the typed plan, app/ hands its fields over).
 */
#ifndef ERMS_CORE_PLANRULES_H
#define ERMS_CORE_PLANRULES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/incident.h"

/* A level's targets, in minutes (0: none). */
struct level_targets {
	int ack_min, activate_min, resolve_min;
};

/*
 * The targets of a new report, until the leadership decides: the ack and
 * activation targets of the proposed level (else the most severe one's,
 * `level`; NULL: none), no resolution target yet; when the reporting
 * chain has a second tier (chain_ack_min > 0) the ack target is that
 * tier's time, since the chain escalates then.
 */
void targets_of_report(struct incident *inc, const struct level_targets *level,
		       int chain_ack_min);

/*
 * The level set by activation or a change of level: the ack and activate
 * timers ran with the targets they had; the level brings its resolution
 * target.
 */
void targets_of_level(struct incident *inc, const struct level_targets *level);

/* A measure, or a task made from one: its group and its title. */
struct measure_ref {
	const char *group, *title;
};

/*
 * Which measures become tasks: each measure whose (group, title) is not
 * among `have` (the incident's tasks) nor an earlier measure, so raising
 * a level adds only what is missing. Sets take[i] for each of the n
 * measures; returns how many are taken.
 */
size_t measures_to_take(const struct measure_ref *m, size_t n,
			const struct measure_ref *have, size_t nhave,
			bool *take);

#endif
