/*
 * ics.c - folding content lines and UTC date-times for iCalendar.
 *
 * Calendar dates use Howard Hinnant's days-to-civil conversion, so that
 * no libc time function (which may read the time zone database) is
 * needed.
 */
#include "core/ics.h"

#include <stdio.h>

#include "util/buf.h"
#include "util/err.h"

void ics_init(struct ics_writer *x, struct buf *out)
{
	x->out = out;
	x->len0 = out->len;
	x->col = 0;
	x->rc = 0;
}

int ics_finish(struct ics_writer *x)
{
	if (x->rc) {
		x->out->len = x->len0;
		if (x->out->data)
			x->out->data[x->len0] = '\0';
	}
	return x->rc;
}

static void add_raw(struct ics_writer *x, const char *p, size_t n)
{
	if (!x->rc)
		x->rc = buf_add(x->out, p, n);
}

/* Add one unbreakable unit (a character or an escape), folding first. */
static void unit(struct ics_writer *x, const char *p, size_t n)
{
	if (x->col > 0 && x->col + (int)n > ICS_LINE_MAX) {
		add_raw(x, "\r\n ", 3);
		x->col = 1;
	}
	add_raw(x, p, n);
	x->col += (int)n;
}

/* The length of the UTF-8 character at s (at least 1, at most 4). */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	size_t want = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 :
		      c < 0xf8 ? 4 : 1;
	size_t n = 1;

	/* Stop at the first byte that is not a continuation byte (or the
	 * NUL), so that a broken sequence is never read past. */
	while (n < want && ((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	return n;
}

void ics_put(struct ics_writer *x, const char *s)
{
	for (; *s; s++)
		unit(x, s, 1);
}

void ics_text(struct ics_writer *x, const char *s)
{
	if (!s)
		return;
	while (*s) {
		unsigned char c = (unsigned char)*s;
		size_t n;

		if (c == '\\' || c == ';' || c == ',') {
			char esc[2] = { '\\', (char)c };

			unit(x, esc, 2);
			s++;
		} else if (c == '\r' || c == '\n') {
			unit(x, "\\n", 2);
			s += c == '\r' && s[1] == '\n' ? 2 : 1;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			s++;
		} else {
			n = char_len(s);
			unit(x, s, n);
			s += n;
		}
	}
}

void ics_end(struct ics_writer *x)
{
	add_raw(x, "\r\n", 2);
	x->col = 0;
}

void ics_line(struct ics_writer *x, const char *name, const char *value)
{
	ics_put(x, name);
	ics_put(x, ":");
	ics_put(x, value);
	ics_end(x);
}

void ics_text_line(struct ics_writer *x, const char *name, const char *text)
{
	ics_put(x, name);
	ics_put(x, ":");
	ics_text(x, text);
	ics_end(x);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (Hinnant). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void ics_time(struct ics_writer *x, const char *name, int64_t t_ms)
{
	int64_t t = t_ms < ICS_TIME_MIN_MS ? ICS_TIME_MIN_MS :
		    t_ms > ICS_TIME_LAST_MS ? ICS_TIME_LAST_MS : t_ms;
	int64_t sec = floor_div(t, 1000);
	int64_t days = floor_div(sec, 86400);
	int64_t sod = sec - days * 86400;
	/* Room for any int, so that -Wformat-truncation has nothing to say
	 * at -O2; the clamp keeps the text at 16 characters. */
	char s[64];
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(s, sizeof(s), "%04d%02d%02dT%02d%02d%02dZ", y, m, d,
		 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
	ics_line(x, name, s);
}
