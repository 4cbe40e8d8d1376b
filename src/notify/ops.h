/*
 * ops.h - what one channel kind knows, as one table row.
 *
 * Every kind is one file, kind-<name>.c, that defines one
 * `const struct channel_ops channel_<name>` and nothing else public but
 * what channel.h declares of it (a signature, the e-mail format). The
 * table in channel.c maps enum channel_kind to these rows; the generic
 * functions of channel.h (channel_http, channel_verdict,
 * channel_config_check, channel_send, ...) look the kind up there and
 * know no kind themselves.
 *
 * To add a kind: a value and a name in core/types.h (enum channel_kind,
 * channel_kind_name), a file kind-<name>.c with its struct channel_ops,
 * its row in the table in channel.c, and the file in meson.build.
 *
 * Internal to src/notify: the helpers below the struct are shared by the
 * kind files (text.c, verdict.c, transport.c) and by no one else.
 */
#ifndef ERMS_NOTIFY_OPS_H
#define ERMS_NOTIFY_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/ratelimit.h"
#include "notify/channel.h"
#include "util/buf.h"

struct channel_ops {
	enum channel_kind kind;
	/* The config keys a saved config must hold as strings, in the
	 * order they are asked for; NULL-terminated. */
	const char *const *required;
	/* The default rate limit (channel_default_rate). */
	struct bucket_rule rate;
	/* Each message goes to its recipient's address (e-mail), not to
	 * the channel: due messages are not merged into a digest, and a
	 * test needs the tester's own address (no_address: the error when
	 * there is none). */
	bool per_recipient;
	const char *no_address;
	/* More checks of a config as it is saved, after `required`
	 * (channel_config_check); config is an object. 0 or ERMS_EINVAL
	 * with err's field "config.<key>". */
	int (*check)(const json_t *config, bool allow_internal,
		     struct errbuf *err);
	/*
	 * An HTTP kind's body for m (checked by channel_http: UTF-8, a
	 * subject, a key fit for a header). url holds the config's URL and
	 * may be appended to (a signed query); secret is the config's
	 * "secret" or NULL. Returns a new JSON text. NULL: not an HTTP kind.
	 */
	char *(*shape)(const struct message *m, const char *secret,
		       int64_t now_ms, struct buf *url);
	/* A header signing body ("Name: value", new string), or NULL for
	 * none; called when there is a secret. */
	char *(*sign)(const char *secret, const char *body);
	/*
	 * Read a 2xx-or-not answer the vendor's way: return true when v
	 * is decided (outcome and error set), false to leave it to the
	 * rules every kind shares (channel.h, channel_verdict). text is
	 * the body made printable. v->code may be set either way.
	 */
	bool (*answer)(struct verdict *v, const char *body, size_t len,
		       const char *text);
	/* Send m (to: the recipient's address for per_recipient kinds)
	 * and fill v with what became of it. */
	void (*send)(const struct channel_ops *ops,
		     const struct channel_transport *t, const json_t *config,
		     const struct message *m, const char *to, int64_t now_ms,
		     struct verdict *v);
};

extern const struct channel_ops channel_email, channel_webhook,
	channel_slack, channel_dingtalk, channel_wecom, channel_feishu;

/* The row of kind k, or NULL for an unknown kind. */
const struct channel_ops *channel_ops_of(enum channel_kind k);

/* ---- shared by the kind files (text.c) --------------------------------- */

/* The words the channels add around links, per language. */
struct labels {
	const char *open;
	const char *ack;
};

bool ch_lang_is_zh(const char *lang);
const struct labels *ch_labels_for(const char *lang);
extern const struct labels ch_labels_en, ch_labels_zh;

/* NULL and "" are both "none". */
bool ch_has(const char *s);
const char *ch_or_empty(const char *s);
/* Percent-encode everything but the RFC 3986 unreserved characters. */
void ch_url_encode(struct buf *b, const char *s);
/* url with the characters in `special` (and spaces, control characters)
 * percent-encoded, so it cannot end a Markdown or Slack link. */
void ch_url_in_link(struct buf *b, const char *url, const char *special);
/* A JSON string; NULL or text that is not UTF-8 become JSON null. */
json_t *ch_jstr(const char *s);
void ch_set_str(json_t *o, const char *key, const char *s);
void ch_set_str_take(json_t *o, const char *key, char *s);
/* JSON text of o (compact), which is decref'd; aborts when out of
 * memory. */
char *ch_dump_take(json_t *o);
/* The subject escaped inside fmt (e.g. "### %s\n\n"), then the Markdown
 * (or the text, escaped). */
void ch_md_head(struct buf *b, const char *fmt, const struct message *m);
/* "[label](url)" lines for the link and the ack link, each after sep. */
void ch_md_links(struct buf *b, const struct message *m, const char *sep);
/*
 * The mentions of m for a robot: calls fn with each one's name, id (""
 * none) and mobile ("" none), skipping those with neither (and, when
 * need_id, those without an id).
 */
typedef void ch_mention_fn(void *ctx, const char *name, const char *id,
			   const char *mobile);
void ch_mentions(const struct message *m, bool need_id, ch_mention_fn *fn,
		 void *ctx);
/* HMAC-SHA256 of msg under key, Base64 (not URL-encoded) into out. */
void ch_hmac_base64(const void *key, size_t keylen, const void *msg, size_t len,
		    char out[64]);
/* A non-empty string member of config, or NULL. */
const char *ch_cfg_str(const json_t *config, const char *name);
/* http:// or https://, no spaces or control characters. */
bool ch_url_ok(const char *url);
/* Printable ASCII without spaces (a header's value). */
bool ch_key_ok(const char *key);
/* ERMS_EINVAL with err's code "invalid_field", field and message. */
int ch_bad(struct errbuf *err, const char *field, const char *msg);
/* ERMS_EINVAL with err's code "invalid", field "config.<field>". */
int ch_field_bad(struct errbuf *err, const char *field, const char *msg);
/* A saved config's url: an http(s) URL with a host, not internal unless
 * allow_internal (channel_config_check). */
int ch_check_url(const json_t *config, bool allow_internal, struct errbuf *err);

/* ---- shared by the kind files (verdict.c, transport.c) ----------------- */

/* Set v's outcome and its error (printf). */
void ch_verdict_set(struct verdict *v, enum delivery_outcome o,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * A chat robot's JSON answer {code_key: int, msg_key: "..."} (and
 * alt_code/alt_msg when code_key is absent; NULL: none): v->code gets
 * the code; sent when it is 0 on a 2xx. throttle is the vendor's
 * throttling code, busy_temp whether -1 (system busy) is temporary.
 * Returns false (undecided) when the body holds no such code, or the
 * code is 0 on an error status.
 */
bool ch_robot_answer(struct verdict *v, const char *body, size_t len,
		     const char *const keys[4], long long throttle,
		     bool busy_temp);
/* The send of every HTTP kind: channel_http, POST, channel_verdict. */
void ch_http_send(const struct channel_ops *ops,
		  const struct channel_transport *t, const json_t *config,
		  const struct message *m, const char *to, int64_t now_ms,
		  struct verdict *v);

#endif
