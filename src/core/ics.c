/*
 * ics.c - folding content lines and UTC date-times for iCalendar.
 *
 * Calendar dates use Howard Hinnant's days-to-civil conversion, so that
 * no libc time function (which may read the time zone database) is
 * needed.
 */
#include "core/ics.h"

#include <stdio.h>

#include "core/calendar.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"

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
			n = utf8_step(s);
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

void ics_time(struct ics_writer *x, const char *name, int64_t t_ms)
{
	int64_t t = t_ms < ICS_TIME_MIN_MS ? ICS_TIME_MIN_MS :
		    t_ms > ICS_TIME_LAST_MS ? ICS_TIME_LAST_MS : t_ms;
	struct civil_time c;
	/* Room for any int, so that -Wformat-truncation has nothing to say
	 * at -O2; the clamp keeps the text at 16 characters. */
	char s[64];

	civil_from_ms(t, &c);
	snprintf(s, sizeof(s), "%04d%02d%02dT%02d%02d%02dZ", (int)c.year,
		 c.month, c.day, c.hour, c.min, c.sec);
	ics_line(x, name, s);
}
