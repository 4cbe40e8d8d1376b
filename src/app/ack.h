/*
 * ack.h - the acknowledgement links' tokens, for notify.c and ack.c (the
 * public calls are in app/notify.h).
 */
#ifndef ERMS_APP_ACK_H
#define ERMS_APP_ACK_H

#include "util/crypto.h"

/*
 * The one-time token of a message's acknowledgement link: derived from
 * its idempotency key under the key file's ack sub-key, so the outbox
 * holds nothing that opens the link. Without keys (tools that queue
 * nothing that is sent) a random token, never to be rebuilt.
 */
void notify_ack_token(const char *idem_key, char out[TOKEN_LEN]);

#endif
