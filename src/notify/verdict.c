/*
 * verdict.c - reading what a receiving service answered (channel.h,
 * channel_verdict): the rules every kind shares, and the chat robots'
 * JSON codes; each kind's own reading is its ops->answer.
 */
#include "notify/ops.h"
#include "core/calendar.h"
#include "util/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *delivery_outcome_name(enum delivery_outcome o)
{
	static const char *const names[] = {
		[DELIVERY_SENT] = "sent", [DELIVERY_RETRY] = "retry",
		[DELIVERY_THROTTLED] = "throttled",
		[DELIVERY_FAILED] = "failed", [DELIVERY_MERGED] = "merged",
	};

	return (unsigned)o < sizeof(names) / sizeof(*names) ? names[o] : "?";
}

/* Printable ASCII and UTF-8 of s[0..len) into out, control characters and
 * broken bytes as '?', so a vendor's message can be logged and shown. */
static void clean_copy(char *out, size_t n, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && s[i] && o + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	out[o] = '\0';
	/* Do not end inside a UTF-8 sequence, nor hold a broken one. */
	if (!utf8_valid(out)) {
		for (size_t i = 0; out[i]; i++)
			if ((unsigned char)out[i] >= 0x80)
				out[i] = '?';
	}
}

void ch_verdict_set(struct verdict *v, enum delivery_outcome o,
		    const char *fmt, ...)
{
	va_list ap;

	v->outcome = o;
	va_start(ap, fmt);
	vsnprintf(v->error, sizeof(v->error), fmt, ap);
	va_end(ap);
}

/* The JSON code and message of a chat robot's answer (keys: code, msg,
 * and the older names, or NULL). Returns false when the body is not a
 * JSON object holding the code. */
static bool vendor_code(const char *const keys[4], const char *body,
			size_t len, long long *code, char *msg, size_t msglen)
{
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *c = NULL, *m = NULL;
	bool ok;

	if (json_is_object(j)) {
		c = json_object_get(j, keys[0]);
		m = json_object_get(j, keys[1]);
		if (!c && keys[2]) {
			c = json_object_get(j, keys[2]);
			m = json_object_get(j, keys[3]);
		}
	}
	ok = json_is_integer(c);
	if (ok) {
		const char *t = json_string_value(m);

		*code = json_integer_value(c);
		clean_copy(msg, msglen, t ? t : "", t ? strlen(t) : 0);
	}
	json_decref(j);
	return ok;
}

bool ch_robot_answer(struct verdict *v, const char *body, size_t len,
		     const char *const keys[4], long long throttle,
		     bool busy_temp)
{
	char msg[160];
	long long code;
	bool throttled, temp;

	if (!vendor_code(keys, body, len, &code, msg, sizeof(msg)))
		return false;
	snprintf(v->code, sizeof(v->code), "%lld", code);
	if (code == 0 && v->status >= 200 && v->status < 300) {
		v->outcome = DELIVERY_SENT;
		return true;
	}
	if (code == 0)
		return false;	/* a success code on an error status */
	/* A robot's own throttling lasts (DingTalk: 10 minutes after 20 a
	 * minute): wait a minute unless it says. */
	throttled = code == throttle;
	temp = busy_temp && code == -1;
	if (throttled && !v->retry_ms)
		v->retry_ms = MINUTE_MS;
	ch_verdict_set(v, throttled ? DELIVERY_THROTTLED
		       : temp || v->status >= 500 ? DELIVERY_RETRY
						  : DELIVERY_FAILED,
		    "HTTP %ld, %s %lld: %s", v->status, keys[0], code, msg);
	return true;
}

/* The answer by its HTTP status alone (for a non-2xx, or a 2xx whose
 * body is not the vendor's success). */
static void by_status(struct verdict *v, const char *text)
{
	long s = v->status;

	if (s == 429)
		ch_verdict_set(v, DELIVERY_THROTTLED,
			       "HTTP 429 (throttled)%s%s", *text ? ": " : "",
			       text);
	else if (s == 408 || s == 425 || s >= 500 || s == 0 ||
		 (s >= 200 && s < 300))
		ch_verdict_set(v, DELIVERY_RETRY, "HTTP %ld%s%s", s,
			       *text ? ": " : "", text);
	else
		ch_verdict_set(v, DELIVERY_FAILED, "HTTP %ld%s%s", s,
			       *text ? ": " : "", text);
}

void channel_verdict(enum channel_kind kind, long status, const char *body,
		     size_t len, int64_t retry_after_ms, struct verdict *v)
{
	const struct channel_ops *ops = channel_ops_of(kind);
	char text[160];

	memset(v, 0, sizeof(*v));
	v->status = status;
	v->retry_ms = retry_after_ms > 0 ? retry_after_ms : 0;
	if (!body) {
		body = "";
		len = 0;
	}
	clean_copy(text, sizeof(text), body, len);
	if (ops && ops->answer && ops->answer(v, body, len, text))
		return;
	if (!ops || !ops->answer) {
		/* An unknown kind: any 2xx is sent. */
		if (status >= 200 && status < 300) {
			v->outcome = DELIVERY_SENT;
			return;
		}
	}
	if (status >= 200 && status < 300) {
		ch_verdict_set(v, DELIVERY_RETRY, "HTTP %ld without the "
			       "service's success answer%s%s", status,
			       *text ? ": " : "", text);
		return;
	}
	by_status(v, text);
}
