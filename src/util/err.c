/*
 * err.c - error buffers.
 */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void vset(struct errbuf *e, const char *code, const char *fmt,
		 va_list ap)
{
	if (code)
		snprintf(e->code, sizeof(e->code), "%s", code);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

void errbuf_set(struct errbuf *e, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
}

void errbuf_field(struct errbuf *e, const char *field)
{
	if (e)
		snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
}

int err_ret(struct errbuf *e, int rc, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vset(e, code, fmt, ap);
		va_end(ap);
	}
	return rc;
}

int err_fail(struct errbuf *e, int rc, const char *field, const char *fmt,
	     ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vset(e, erms_strerror(rc), fmt, ap);
		va_end(ap);
		errbuf_field(e, field);
	}
	return rc;
}

const char *erms_strerror(int rc)
{
	switch (rc) {
	case ERMS_OK:		return "ok";
	case ERMS_EINVAL:	return "invalid";
	case ERMS_ENOTFOUND:	return "not_found";
	case ERMS_ECONFLICT:	return "conflict";
	case ERMS_ETOOBIG:	return "too_large";
	case ERMS_ESTORE:	return "unavailable";
	case ERMS_EIO:		return "io_error";
	case ERMS_EAUTH:	return "unauthorized";
	case ERMS_EPERM:	return "forbidden";
	case ERMS_ELIMIT:	return "rate_limited";
	case ERMS_EBUSY:	return "busy";
	}
	return "error";
}
