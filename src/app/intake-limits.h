/*
 * intake-limits.h - the per-integration rate limits of monitoring intake,
 * in memory: one token bucket per integration, of rate_limit_per_min
 * tokens that refill at that rate. A request takes a token; an empty
 * bucket tells how long until the next.
 */
#ifndef ERMS_APP_INTAKE_LIMITS_H
#define ERMS_APP_INTAKE_LIMITS_H

#include <pthread.h>
#include <stdint.h>

#define INTAKE_LIMIT_SLOTS 256

struct intake_bucket {
	int64_t id;		/* the integration; 0 when free */
	double tokens;
	int64_t updated_ms;
	int64_t rate;		/* per minute, as last seen */
};

struct intake_limits {
	pthread_mutex_t mu;
	struct intake_bucket slot[INTAKE_LIMIT_SLOTS];
};

void intake_limits_init(struct intake_limits *l);
void intake_limits_release(struct intake_limits *l);
/*
 * Take a token of integration id's bucket (rate tokens a minute, as
 * many at most): 0 when taken, else the milliseconds until one is
 * there. A bucket not seen before, or whose rate changed, starts full.
 */
int64_t intake_limits_take(struct intake_limits *l, int64_t id,
			   int64_t rate, int64_t now_ms);

#endif
