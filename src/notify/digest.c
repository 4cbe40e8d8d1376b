/*
 * digest.c - several messages of one channel as one (channel.h).
 */
#include "notify/ops.h"

#include <stdlib.h>
#include <string.h>

#include "util/crypto.h"
#include "util/escape.h"
#include "util/xalloc.h"

/* Add m's mentions to all, each person once. */
static void add_mentions(json_t *all, const struct message *m)
{
	const json_t *v, *w;
	size_t i, j;

	json_array_foreach(m->mentions, i, v) {
		bool seen = false;

		json_array_foreach(all, j, w)
			seen = seen || json_equal((json_t *)v, (json_t *)w);
		if (!seen)
			json_array_append(all, (json_t *)v);
	}
}

void digest_build(struct digest *d, const struct message *msgs, int n,
		  const char *lang)
{
	bool zh = ch_lang_is_zh(lang);
	const struct labels *l = zh ? &ch_labels_zh : &ch_labels_en;
	struct buf text = BUF_INIT, md = BUF_INIT, keys = BUF_INIT;
	json_t *items = json_array();
	char hash[SHA256_HEX_LEN];

	memset(d, 0, sizeof(*d));
	d->mentions = json_array();
	if (n < 0)
		n = 0;
	if (zh)
		d->subject = xasprintf("%d 条通知", n);
	else
		d->subject = xasprintf("%d notification%s", n,
				       n == 1 ? "" : "s");
	for (int i = 0; i < n; i++) {
		const struct message *m = &msgs[i];

		buf_addf(&text, "%d. %s\n", i + 1, ch_or_empty(m->subject));
		if (ch_has(m->link))
			buf_addf(&text, "   %s\n", m->link);
		if (ch_has(m->ack_link))
			buf_addf(&text, "   %s: %s\n", l->ack, m->ack_link);

		buf_addf(&md, "%d. ", i + 1);
		esc_md(&md, m->subject);
		if (ch_has(m->link)) {
			buf_addf(&md, " · [%s](", l->open);
			ch_url_in_link(&md, m->link, "()<>");
			buf_adds(&md, ")");
		}
		if (ch_has(m->ack_link)) {
			buf_addf(&md, " · [%s](", l->ack);
			ch_url_in_link(&md, m->ack_link, "()<>");
			buf_adds(&md, ")");
		}
		buf_adds(&md, "\n");

		add_mentions(d->mentions, m);
		buf_addf(&keys, "%s\n", ch_or_empty(m->idempotency_key));
		json_array_append_new(items, json_pack(
			"{s:o, s:o, s:o, s:o, s:o}",
			"idempotency_key", ch_jstr(m->idempotency_key),
			"subject", ch_jstr(m->subject),
			"link", ch_jstr(ch_has(m->link) ? m->link : NULL),
			"ack_link", ch_jstr(ch_has(m->ack_link) ? m->ack_link
							       : NULL),
			"event", m->event ? json_deep_copy(m->event) :
					    json_null()));
	}
	sha256_hex(buf_str(&keys), keys.len, hash);
	d->idempotency_key = xasprintf("digest-%.32s", hash);
	d->text = buf_detach(&text, NULL);
	d->markdown = buf_detach(&md, NULL);
	buf_release(&keys);
	d->event = json_pack("{s:s, s:i, s:o}", "type", "digest",
			     "count", n, "items", items);

	d->msg.subject = d->subject;
	d->msg.text = d->text;
	d->msg.markdown = d->markdown;
	d->msg.idempotency_key = d->idempotency_key;
	d->msg.event = d->event;
	d->msg.mentions = d->mentions;
	d->msg.lang = zh ? "zh-CN" : "en";
}

void digest_release(struct digest *d)
{
	free(d->subject);
	free(d->text);
	free(d->markdown);
	free(d->idempotency_key);
	json_decref(d->event);
	json_decref(d->mentions);
	memset(d, 0, sizeof(*d));
}

