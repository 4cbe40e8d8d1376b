/*
 * metrics.h - request counters and latency histograms, Prometheus text.
 *
 * Counters are atomics indexed by route and status, so recording costs a
 * few relaxed increments and no lock.
 */
#ifndef ERMS_HTTP_METRICS_H
#define ERMS_HTTP_METRICS_H

#include <stdint.h>

#include "util/buf.h"

struct writer;

/* route: index in the route table, or -1 for "no route" (404, static). */
void metrics_record(int route, int status, int64_t us);
void metrics_render(struct buf *out, const struct writer *w);

#endif
