/*
 * escalation.h - the reporting chain (上报链): which tier is due.
 *
 * A plan lists escalation tiers, each told `after_min` minutes after the
 * incident was reported, until someone acknowledges. An incident records
 * the tiers already told as a bit set (struct incident.esc_tiers), so
 * only the first ESC_TIERS_MAX tiers of a chain are ever told. Pure: no
 * I/O, no clock.
 */
#ifndef ERMS_CORE_ESCALATION_H
#define ERMS_CORE_ESCALATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The bits of the told-tiers set: tiers past this are never told. */
#define ESC_TIERS_MAX 32

/* When a tier told after_min minutes after reported_ms falls due. */
int64_t esc_tier_at(int64_t reported_ms, int64_t after_min);

/*
 * Whether tier i (from 0) of a chain is due at now_ms: within the first
 * ESC_TIERS_MAX, not in `told`, and its time reached.
 */
bool esc_tier_due(unsigned told, size_t i, int64_t reported_ms,
		  int64_t after_min, int64_t now_ms);

/* The told set with tier i added (unchanged past ESC_TIERS_MAX). */
unsigned esc_told_add(unsigned told, size_t i);

#endif
