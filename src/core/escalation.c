/*
 * escalation.c - the reporting chain's due rule.
 */
#include "core/escalation.h"

#include "core/calendar.h"

int64_t esc_tier_at(int64_t reported_ms, int64_t after_min)
{
	return reported_ms + after_min * MINUTE_MS;
}

bool esc_tier_due(unsigned told, size_t i, int64_t reported_ms,
		  int64_t after_min, int64_t now_ms)
{
	return i < ESC_TIERS_MAX && !(told & (1u << i)) &&
	       esc_tier_at(reported_ms, after_min) <= now_ms;
}

unsigned esc_told_add(unsigned told, size_t i)
{
	return i < ESC_TIERS_MAX ? told | 1u << i : told;
}
