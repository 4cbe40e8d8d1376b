/*
 * api.c - helpers shared by the api-*.c handlers.
 */
#include "http/api.h"

#include <stdlib.h>

#include "core/account.h"
#include "http/json.h"
#include "util/crypto.h"
#include "util/xalloc.h"

/* Shared by PATCH /me and the user routes: the profile fields' rules. */
int check_profile(const json_t *b, struct errbuf *e)
{
	const char *s;

	if ((s = jstr(b, "locale", NULL)) && !locale_valid(s))
		goto bad_locale;
	if ((s = jstr(b, "email", NULL)) && !email_valid(s)) {
		errbuf_set(e, "invalid", "'%s' is not an email address", s);
		errbuf_field(e, "email");
		return ERMS_EINVAL;
	}
	if ((s = jstr(b, "password", NULL)) && !password_valid(s)) {
		errbuf_set(e, "invalid", "a password has %d to %d bytes",
			   PASSWORD_MIN, PASSWORD_MAX);
		errbuf_field(e, "password");
		return ERMS_EINVAL;
	}
	return 0;
bad_locale:
	errbuf_set(e, "invalid", "locale must be 'zh-CN' or 'en'");
	errbuf_field(e, "locale");
	return ERMS_EINVAL;
}

/* Hash body.password into rq->ctx (slow; on the I/O thread). */
int hash_new_password(struct req *rq, struct errbuf *e)
{
	const char *pw = jstr(rq->body, "password", NULL);
	char *h;

	if (!pw)
		return 0;
	h = xmalloc(PWHASH_LEN);
	if (password_hash(pw, h)) {
		free(h);
		return err_ret(e, ERMS_ESTORE, "unavailable",
			       "cannot hash the password");
	}
	rq->ctx = h;
	rq->ctx_free = free;
	return 0;
}

/* Copy the profile fields present in b into u. */
void apply_profile(const json_t *b, struct user *u)
{
	jcopy(u->display_name, sizeof(u->display_name), b, "display_name");
	jcopy(u->email, sizeof(u->email), b, "email");
	jcopy(u->phone, sizeof(u->phone), b, "phone");
	jcopy(u->locale, sizeof(u->locale), b, "locale");
}

bool page_full(struct page *p)
{
	return p->n++ == p->limit;
}

void api_list(struct req *rq, struct resp *rs, enum action right,
	      page_walk *walk)
{
	struct errbuf e = { 0 };
	struct page p = { .items = json_array() };
	int64_t after;
	int rc;

	if (!req_page(rq, rs, &after, &p.limit))
		goto fail;
	rc = app_may(&rq->who, right, NULL, &e);
	if (!rc)
		rc = walk(rq, after, &p);
	if (rc < 0) {
		resp_err(rq, rs, rc, &e);
		goto fail;
	}
	resp_list(rs, p.items, rc == 1 ? p.last : 0);
	return;
fail:
	json_decref(p.items);
}
