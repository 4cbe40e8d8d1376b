/*
 * outbox.h - messages queued are sent at once: the delivery worker
 * (app/delivery.h) sets its waker when it starts (NULL when it stops);
 * notify.c marks each message it queues, and the writer calls
 * outbox_after_commit() after each commit, which wakes the worker when
 * the transaction queued one, so that a report's first message does not
 * wait for the worker's next poll. A mark of a transaction rolled back
 * costs one early pass.
 */
#ifndef ERMS_APP_OUTBOX_H
#define ERMS_APP_OUTBOX_H

void outbox_set_waker(void (*fn)(void *ctx), void *ctx);
/* A message was queued in the open transaction (the writer's thread). */
void outbox_queued(void);
/* After a commit: wake the worker if a message was queued. */
void outbox_after_commit(void);

#endif
