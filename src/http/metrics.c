/*
 * metrics.c - the counters behind /metrics.
 */
#include "http/metrics.h"

#include <stdatomic.h>
#include <string.h>

#include "app/notify.h"
#include "app/writer.h"
#include "http/routes.h"

static const int statuses[] = { 200, 201, 204, 304, 400, 401, 403, 404,
				405, 409, 413, 415, 429, 500, 502, 503 };
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))
static const double bounds[] = { 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
				 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
				 1, 2.5 };
#define NBUCKET (sizeof(bounds) / sizeof(bounds[0]))
#define NROUTE (ROUTES_MAX + 1)	/* the last one is "no route" */

static _Atomic uint64_t count[NROUTE][NSTATUS + 1];	/* +1: other */
static _Atomic uint64_t hist[NROUTE][NBUCKET + 1];	/* +1: +Inf */
static _Atomic uint64_t sum_us[NROUTE];

void metrics_record(int route, int status, int64_t us)
{
	size_t r = route < 0 || route >= ROUTES_MAX ? ROUTES_MAX : (size_t)route;
	size_t s, b;

	for (s = 0; s < NSTATUS && statuses[s] != status; s++)
		;
	for (b = 0; b < NBUCKET && (double)us / 1e6 > bounds[b]; b++)
		;
	atomic_fetch_add_explicit(&count[r][s], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&hist[r][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sum_us[r], (uint64_t)(us > 0 ? us : 0),
				  memory_order_relaxed);
}

static void labels(struct buf *out, size_t r)
{
	if (r == ROUTES_MAX || !routes[r].method)
		buf_adds(out, "route=\"other\",method=\"\"");
	else
		buf_addf(out, "route=\"%s\",method=\"%s\"", routes[r].pattern,
			 routes[r].method);
}

void metrics_render(struct buf *out, const struct writer *w)
{
	buf_adds(out, "# HELP erms_http_requests_total HTTP requests answered."
		      "\n# TYPE erms_http_requests_total counter\n");
	for (size_t r = 0; r < NROUTE; r++)
		for (size_t s = 0; s <= NSTATUS; s++) {
			uint64_t n = atomic_load(&count[r][s]);

			if (!n)
				continue;
			buf_adds(out, "erms_http_requests_total{");
			labels(out, r);
			if (s < NSTATUS)
				buf_addf(out, ",status=\"%d\"} %llu\n",
					 statuses[s], (unsigned long long)n);
			else
				buf_addf(out, ",status=\"other\"} %llu\n",
					 (unsigned long long)n);
		}
	buf_adds(out, "# HELP erms_http_request_duration_seconds Time from "
		      "request to answer.\n"
		      "# TYPE erms_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r < NROUTE; r++) {
		uint64_t cum = 0, total = 0;

		for (size_t b = 0; b <= NBUCKET; b++)
			total += atomic_load(&hist[r][b]);
		if (!total)
			continue;
		for (size_t b = 0; b <= NBUCKET; b++) {
			cum += atomic_load(&hist[r][b]);
			buf_adds(out, "erms_http_request_duration_seconds_bucket{");
			labels(out, r);
			if (b < NBUCKET)
				buf_addf(out, ",le=\"%g\"} %llu\n", bounds[b],
					 (unsigned long long)cum);
			else
				buf_addf(out, ",le=\"+Inf\"} %llu\n",
					 (unsigned long long)cum);
		}
		buf_adds(out, "erms_http_request_duration_seconds_sum{");
		labels(out, r);
		buf_addf(out, "} %.6f\n", (double)atomic_load(&sum_us[r]) / 1e6);
		buf_adds(out, "erms_http_request_duration_seconds_count{");
		labels(out, r);
		buf_addf(out, "} %llu\n", (unsigned long long)total);
	}
	buf_addf(out,
		 "# HELP erms_commit_batches_total Group-commit transactions.\n"
		 "# TYPE erms_commit_batches_total counter\n"
		 "erms_commit_batches_total %llu\n"
		 "# HELP erms_commit_jobs_total Writes committed in batches.\n"
		 "# TYPE erms_commit_jobs_total counter\n"
		 "erms_commit_jobs_total %llu\n",
		 (unsigned long long)atomic_load(&w->batches),
		 (unsigned long long)atomic_load(&w->jobs));
	notify_metrics(out);
}
