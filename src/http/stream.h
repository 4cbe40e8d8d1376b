/*
 * stream.h - streamed answers (Server-Sent Events) and their parking.
 *
 * A stream that has nothing to send is parked: its connection is
 * suspended until stream_wake() (new events, a revocation, a heartbeat,
 * the stop) resumes every parked stream, which then reads again. Every
 * PING_EVERY_S seconds the ticker bumps srv->ping_seq; a stream with
 * nothing else to say then sends a ": ping" comment.
 */
#ifndef ERMS_HTTP_STREAM_H
#define ERMS_HTTP_STREAM_H

#include <stddef.h>

#include "http/conn.h"

#define PING_EVERY_S 15

struct stream_box;

/* Take over cn->rs.stream into a box that lives as long as the answer
 * (cn->rs.stream is left empty). */
struct stream_box *stream_box_new(struct conn *cn);
/*
 * The next bytes of the stream into buf (up to max): their count, 0 if
 * the stream was parked (its connection suspended) with nothing to
 * send, or -1 at the end of the stream (it ended, or the server stops).
 */
long stream_pull(struct stream_box *b, char *buf, size_t max);
/* Free the box and the stream's own context (once, when the answer is
 * gone). */
void stream_box_free(struct stream_box *b);
/* Resume every parked stream. */
void stream_wake(struct http_server *srv);

#endif
