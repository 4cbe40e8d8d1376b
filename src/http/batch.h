/*
 * batch.h - the writer's side of a request: write routes run their
 * handler on the writer thread, inside the group-commit batch.
 *
 * The handler's answer decides the transaction's fate through rs.rc,
 * the app's code (or ERMS_EINVAL for a request that failed to decode):
 * non-zero rolls the handler's writes back, 0 lets them commit with the
 * batch. The connection is suspended while its job waits and resumed
 * once the batch is durable (or rolled back).
 */
#ifndef ERMS_HTTP_BATCH_H
#define ERMS_HTTP_BATCH_H

#include "http/conn.h"

struct store;

/* Queue cn's handler on the writer; cn's connection is suspended first
 * (before the writer can resume it) and cn->state becomes C_QUEUED,
 * then C_READY when its answer is ready. */
void batch_submit(struct conn *cn);
/* The same for a connection suspended already (req_defer()). */
void batch_queue(struct conn *cn);
/*
 * On the connection's thread, once cn's batch is durable: the answer a
 * handler left to be built after the commit (resp.finish), if any. So
 * the writer spends its time on writes, not on encoding answers; a
 * write route opts in by setting rs->finish, rs->finish_ctx and
 * rs->finish_free instead of a body.
 */
void batch_finish(struct conn *cn);
/* Record the signed-in principal's last-seen time with a write of its
 * own, answered by no one (for reads). */
void batch_touch(struct conn *cn);
/* The writer's after-commit hook (ctx: the server): new events go to
 * the ring and wake the streams, as does a revocation. */
void batch_after_commit(void *ctx, struct store *st);
/* The listening thread's hook (app/listen.h; ctx: the server): the same
 * for what other nodes committed, read with a reader connection. */
void batch_after_remote(void *ctx);

#endif
