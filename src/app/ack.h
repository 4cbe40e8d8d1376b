/*
 * ack.h - acknowledgement links: the console's address in them, their
 * one-time tokens, and acknowledging a message by link or by id.
 */
#ifndef ERMS_APP_ACK_H
#define ERMS_APP_ACK_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "util/crypto.h"

/*
 * The one-time token of a message's acknowledgement link: derived from
 * its idempotency key under the key file's ack sub-key, so the outbox
 * holds nothing that opens the link. Without keys (tools that queue
 * nothing that is sent) a random token, never to be rebuilt.
 */
void notify_ack_token(const char *idem_key, char out[TOKEN_LEN]);

/* The address of the console in links ("http://erms.example.org"); the
 * process sets it once at start. */
void notify_set_base_url(const char *url);
const char *notify_base_url(void);

/* The acknowledgement link of outbox row n, built for sending: the row
 * stores the link without its token ("BASE/ack/") and the token's hash
 * only. free() it. */
char *notify_ack_link(const struct notification *n);

/* Messages queued before the database had a key stored their link with
 * its token: give each pending one a token derived under the ack sub-key,
 * keep only its hash and the link's stem. Run once, when the database is
 * bound to its key (inside that transaction). 0 or ERMS_E*. */
int notify_rekey_ack_links(struct store *st);

/*
 * Acknowledge a message: by its link's secret (`secret`, p NULL) or by
 * id (p the signed-in user: its recipient, or command HQ). Stops the
 * incident's escalation and writes to the timeline. ERMS_ENOTFOUND for an
 * unknown secret, ERMS_ECONFLICT when already used or expired.
 */
int notify_ack(struct store *st, const struct principal *p, int64_t id,
	       const char *secret, int64_t now_ms, struct notification *out,
	       struct errbuf *err);

/* What the page of a one-time link shows: the state of its message and
 * the incident it is about (no incident: number "" and no title). */
struct ack_view {
	bool used;			/* acknowledged already */
	bool expired;
	char number[32];		/* INC-2026-0001, or "" */
	char *title;			/* owned; NULL without an incident */
	char level_zh[96], level_en[96];	/* the level's names, or "" */
};
void ack_view_release(struct ack_view *v);

/* The view of the link whose secret is `secret`, at now_ms: changes
 * nothing. ERMS_ENOTFOUND for an unknown secret. */
int notify_ack_view(struct store *st, const char *secret, int64_t now_ms,
		    struct ack_view *out);

#endif
