/*
 * log.c - logfmt lines on stderr, one write(2) per line so that lines from
 * several threads never interleave.
 */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum log_level log_threshold = LL_INFO;

static const char *const names[] = { "debug", "info", "warn", "error",
				     "quiet" };

int log_level_parse(const char *s)
{
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

/*
 * Copy s into dst (room for n bytes, n > 0), writing each control
 * character as an escape: \n, \r, \t, or \xNN (also DEL). Whatever a
 * logged value holds (a decoded %0A in a request path, a login, a
 * vendor's answer), it stays on its own line and cannot forge another.
 * Returns the length written; dst is NUL-terminated, cut at an escape
 * boundary when full.
 */
size_t log_escape(char *dst, size_t n, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char e[5] = { c, 0 };
		size_t k = 1;

		if (c == '\n' || c == '\r' || c == '\t') {
			e[0] = '\\';
			e[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
			k = 2;
		} else if (c < 0x20 || c == 0x7f) {
			e[0] = '\\', e[1] = 'x', e[2] = hex[c >> 4];
			e[3] = hex[c & 15];
			k = 4;
		}
		if (o + k >= n)
			break;
		memcpy(dst + o, e, k);
		o += k;
	}
	dst[o] = '\0';
	return o;
}

/*
 * Copy s into dst for use inside a double-quoted logfmt value: '"' and
 * '\\' get a backslash, so a value cannot close its quotes and add keys
 * of its own (control characters are escaped later by log_write()).
 */
const char *log_quote(char *dst, size_t n, const char *s)
{
	size_t o = 0;

	for (; *s && o + 2 < n; s++) {
		if (*s == '"' || *s == '\\')
			dst[o++] = '\\';
		dst[o++] = *s;
	}
	dst[o] = '\0';
	return dst;
}

void log_write(enum log_level lvl, const char *mod, const char *fmt, ...)
{
	char line[2048], msg[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n, m;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line),
		     "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s mod=%s ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, names[lvl], mod);
	va_start(ap, fmt);
	m = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m < 0)
		msg[0] = '\0';
	n += (int)log_escape(line + n, sizeof(line) - (size_t)n - 1, msg);
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}
