/*
 * pipeline.h - the request pipeline every route shares: route,
 * language, sign-in, CSRF, body checks, the route's coarse right
 * (struct route .access), prep, then the handler on a reader (reads) or
 * in the writer's batch (writes, batch.h); and the access log line when
 * the request is over. It reads the request only through req_query(),
 * req_header() and req_cookie(); libmicrohttpd is server.c's.
 */
#ifndef ERMS_HTTP_PIPELINE_H
#define ERMS_HTTP_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "http/conn.h"

/*
 * Run cn's request (its body fully read) on the I/O thread: answer it
 * in cn->rs, or, for a write route that passed every check, queue it on
 * the writer (cn->state is then C_QUEUED; see batch_submit()).
 */
void pipeline_dispatch(struct conn *cn);
/* The language the caller asked for (?lang=, then Accept-Language):
 * "zh-CN", "en", or NULL if neither says. */
const char *pipeline_lang(struct conn *cn);
/* Log cn's access line: us the time it took, completed false if the
 * connection ended before the answer was sent. */
void pipeline_log_access(struct conn *cn, int64_t us, bool completed);

#endif
