/*
 * alert.c - label sets, fingerprints, matchers, severities, maintenance
 * windows and title templates (see alert.h).
 *
 * Everything here follows what Prometheus and Alertmanager do, so that an
 * alert has the same fingerprint in erms as in Alertmanager and a matcher
 * copied from an Alertmanager route means the same in erms. Where POSIX
 * differs from Go (regular expressions are POSIX extended, not RE2), the
 * comment says so.
 */
#include "core/alert.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

/* Prometheus' model.SeparatorByte and FNV-1a 64 (model/fnv.go). */
#define FP_SEPARATOR 0xffu
#define FNV_OFFSET 14695981039346656037ull
#define FNV_PRIME 1099511628211ull

static int label_cmp(const void *a, const void *b)
{
	const struct label *x = a, *y = b;

	return strcmp(x->name, y->name);
}

void label_sort(struct label_set *s)
{
	if (s->n > 1)
		qsort(s->l, s->n, sizeof(s->l[0]), label_cmp);
}

const char *label_get(const struct label_set *s, const char *name)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->l[i].name, name))
			return s->l[i].value;
	return NULL;
}

/* Is name a label name: [a-zA-Z_][a-zA-Z0-9_]* of at most
 * ALERT_NAME_MAX bytes? */
static bool name_ok(const char *name, size_t len)
{
	if (len == 0 || len > ALERT_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     c == '_';

		if (!alpha && (i == 0 || c < '0' || c > '9'))
			return false;
	}
	return true;
}

int label_set_check(const struct label_set *s, const char *what,
		    struct errbuf *e)
{
	char field[ALERT_NAME_MAX + 64];

	if (!what)
		what = "labels";
	if (s->n > ALERT_LABELS_MAX)
		return err_fail(e, ERMS_EINVAL, what, "%s: at most %d, not %zu",
				what, ALERT_LABELS_MAX, s->n);
	for (size_t i = 0; i < s->n; i++) {
		const char *name = s->l[i].name, *value = s->l[i].value;
		size_t len = strlen(name);

		snprintf(field, sizeof(field), "%s.%s", what, name);
		if (!name_ok(name, len))
			return err_fail(e, ERMS_EINVAL, field,
					"%s: a label name is [a-zA-Z_]"
					"[a-zA-Z0-9_]* of at most %d bytes",
					field, ALERT_NAME_MAX);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->l[j].name, name))
				return err_fail(e, ERMS_EINVAL, field,
						"%s: given twice", field);
		if (!value)
			return err_fail(e, ERMS_EINVAL, field,
					"%s: no value", field);
		len = strlen(value);
		if (len > ALERT_VALUE_MAX)
			return err_fail(e, ERMS_EINVAL, field,
					"%s: at most %d bytes, not %zu",
					field, ALERT_VALUE_MAX, len);
		if (utf8_bad(value, len) != len)
			return err_fail(e, ERMS_EINVAL, field,
					"%s: not valid UTF-8 (byte %zu)",
					field, utf8_bad(value, len));
	}
	return 0;
}

static uint64_t fnv_add(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= FNV_PRIME;
	}
	return h;
}

static uint64_t fnv_byte(uint64_t h, unsigned char c)
{
	h ^= c;
	return h * FNV_PRIME;
}

static bool is_sorted(const struct label_set *s)
{
	for (size_t i = 1; i < s->n; i++)
		if (strcmp(s->l[i - 1].name, s->l[i].name) > 0)
			return false;
	return true;
}

/*
 * Labels with an empty value are left out: Prometheus treats an empty
 * label as an absent one, and Alertmanager drops them from an alert
 * before it computes the fingerprint (so {a="1",b=""} is {a="1"} there
 * as it is in matcher_match() here).
 */
void label_fingerprint(const struct label_set *s, char out[ALERT_FP_LEN + 1])
{
	struct label sorted[ALERT_LABELS_MAX];
	struct label_set tmp;
	uint64_t h = FNV_OFFSET;

	if (s->n <= ALERT_LABELS_MAX && !is_sorted(s)) {
		memcpy(sorted, s->l, s->n * sizeof(s->l[0]));
		tmp.l = sorted;
		tmp.n = s->n;
		label_sort(&tmp);
		s = &tmp;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (!s->l[i].value || !s->l[i].value[0])
			continue;
		h = fnv_add(h, s->l[i].name);
		h = fnv_byte(h, FP_SEPARATOR);
		h = fnv_add(h, s->l[i].value);
		h = fnv_byte(h, FP_SEPARATOR);
	}
	snprintf(out, ALERT_FP_LEN + 1, "%016llx", (unsigned long long)h);
}

static const char *const op_text[] = {
	[MATCH_EQ] = "=", [MATCH_NE] = "!=", [MATCH_RE] = "=~",
	[MATCH_NRE] = "!~",
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Does re, on its own, keep its parentheses balanced? The expression is
 * compiled inside ^(…)$, so "a)|(b" would otherwise escape the anchors
 * and match any value that starts with "a". Bracket expressions and
 * escapes are skipped as regcomp() reads them.
 */
static bool parens_balanced(const char *re)
{
	int depth = 0;

	for (const char *p = re; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				return true;	/* regcomp() reports it */
			p++;
		} else if (*p == '[') {
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']') {
				if (*p == '[' && (p[1] == ':' || p[1] == '.' ||
						  p[1] == '=')) {
					char end = p[1];

					p += 2;
					while (*p && !(p[0] == end && p[1] == ']'))
						p++;
					if (*p)
						p++;
				}
				if (*p)
					p++;
			}
			if (!*p)
				return true;	/* regcomp() reports it */
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			if (--depth < 0)
				return false;
		}
	}
	return depth == 0;
}

static int compile_re(struct matcher *m, struct errbuf *e)
{
	regex_t probe;
	char msg[128];
	char *anchored;
	int rc;

	/* First on its own, so that regerror() speaks of what was written. */
	rc = regcomp(&probe, m->value, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		regerror(rc, &probe, msg, sizeof(msg));
		return err_fail(e, ERMS_EINVAL, NULL,
				"matcher %s: bad regular expression: %s",
				m->name, msg);
	}
	regfree(&probe);
	if (!parens_balanced(m->value))
		return err_fail(e, ERMS_EINVAL, NULL,
				"matcher %s: bad regular expression: "
				"unmatched ( or )", m->name);
	anchored = xasprintf("^(%s)$", m->value);
	rc = regcomp(&m->re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc) {
		regerror(rc, &m->re, msg, sizeof(msg));
		return err_fail(e, ERMS_EINVAL, NULL,
				"matcher %s: bad regular expression: %s",
				m->name, msg);
	}
	m->has_re = true;
	return 0;
}

/*
 * Unquote and unescape v[0..len) as Alertmanager's labels.ParseMatcher
 * does: a value in double quotes may hold \" \\ and \n; any other
 * backslash is itself. An unquoted value is taken as written, escapes
 * included, but may not hold a double quote. col is the column of v[0].
 */
static int parse_value(const char *v, size_t len, size_t col, struct buf *out,
		       struct errbuf *e)
{
	bool quoted = len >= 1 && v[0] == '"';
	size_t i = quoted ? 1 : 0, end = len;

	if (quoted) {
		if (len < 2 || v[len - 1] != '"')
			return err_fail(e, ERMS_EINVAL, NULL,
					"matcher: no closing \" for the value "
					"opened at column %zu", col);
		end = len - 1;
	}
	for (; i < end; i++) {
		char c = v[i];

		if (c == '\\' && i + 1 < end) {
			char n = v[++i];

			if (n == 'n') {
				c = '\n';
			} else {
				/* A spurious escape keeps its backslash. */
				if (n != '"' && n != '\\')
					buf_add(out, "\\", 1);
				c = n;
			}
		} else if (c == '\\' && quoted) {
			/* The backslash escapes the closing quote. */
			return err_fail(e, ERMS_EINVAL, NULL,
					"matcher: no closing \" for the value "
					"opened at column %zu", col);
		} else if (c == '"') {
			return err_fail(e, ERMS_EINVAL, NULL,
					"matcher: unescaped \" at column %zu "
					"(write \\\")", col + i);
		}
		buf_add(out, &c, 1);
	}
	return 0;
}

int matcher_parse(struct matcher *m, const char *text, struct errbuf *e)
{
	struct buf value = BUF_INIT;
	const char *p = text, *name, *v, *vend;
	size_t nlen;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!text)
		return err_fail(e, ERMS_EINVAL, NULL, "matcher: empty");
	while (is_space(*p))
		p++;
	name = p;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	nlen = (size_t)(p - name);
	if (nlen == 0 && !*p)
		return err_fail(e, ERMS_EINVAL, NULL, "matcher: empty");
	if (!name_ok(name, nlen))
		return err_fail(e, ERMS_EINVAL, NULL,
				"matcher: column %zu: a label name is "
				"[a-zA-Z_][a-zA-Z0-9_]* of at most %d bytes",
				(size_t)(name - text) + 1, ALERT_NAME_MAX);
	memcpy(m->name, name, nlen);
	m->name[nlen] = '\0';
	while (is_space(*p))
		p++;
	if (p[0] == '=' && p[1] == '~')
		m->op = MATCH_RE, p += 2;
	else if (p[0] == '!' && p[1] == '~')
		m->op = MATCH_NRE, p += 2;
	else if (p[0] == '!' && p[1] == '=')
		m->op = MATCH_NE, p += 2;
	else if (p[0] == '=')
		m->op = MATCH_EQ, p += 1;
	else
		return err_fail(e, ERMS_EINVAL, NULL,
				"matcher %s: column %zu: expected one of "
				"= != =~ !~", m->name, (size_t)(p - text) + 1);
	while (is_space(*p))
		p++;
	v = p;
	vend = v + strlen(v);
	while (vend > v && is_space(vend[-1]))
		vend--;
	if ((size_t)(vend - v) > ALERT_VALUE_MAX + 2)
		return err_fail(e, ERMS_EINVAL, NULL,
				"matcher %s: the value is over %d bytes",
				m->name, ALERT_VALUE_MAX);
	rc = parse_value(v, (size_t)(vend - v), (size_t)(v - text) + 1, &value,
			 e);
	if (rc == 0 && value.len > ALERT_VALUE_MAX)
		rc = err_fail(e, ERMS_EINVAL, NULL,
			      "matcher %s: the value is over %d bytes",
			      m->name, ALERT_VALUE_MAX);
	if (rc == 0 && utf8_bad(buf_str(&value), value.len) != value.len)
		rc = err_fail(e, ERMS_EINVAL, NULL,
			      "matcher %s: the value is not valid UTF-8",
			      m->name);
	if (rc) {
		buf_release(&value);
		return rc;
	}
	m->value = xstrdup(buf_str(&value));
	buf_release(&value);
	if (m->op == MATCH_RE || m->op == MATCH_NRE) {
		rc = compile_re(m, e);
		if (rc) {
			matcher_release(m);
			return rc;
		}
	}
	return 0;
}

void matcher_format(const struct matcher *m, struct buf *out)
{
	buf_adds(out, m->name);
	buf_adds(out, op_text[m->op]);
	buf_add(out, "\"", 1);
	for (const char *p = m->value ? m->value : ""; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_add(out, "\\", 1);
		if (*p == '\n')
			buf_add(out, "\\n", 2);
		else
			buf_add(out, p, 1);
	}
	buf_add(out, "\"", 1);
}

void matcher_release(struct matcher *m)
{
	free(m->value);
	if (m->has_re)
		regfree(&m->re);
	memset(m, 0, sizeof(*m));
}

bool matcher_match(const struct matcher *m, const struct label_set *s)
{
	const char *v = label_get(s, m->name);

	if (!v)
		v = "";
	switch (m->op) {
	case MATCH_EQ:
		return !strcmp(v, m->value);
	case MATCH_NE:
		return strcmp(v, m->value) != 0;
	case MATCH_RE:
		return regexec(&m->re, v, 0, NULL, 0) == 0;
	case MATCH_NRE:
		return regexec(&m->re, v, 0, NULL, 0) != 0;
	}
	return false;
}

int matchers_parse(struct matchers *ms, const char *const *texts, size_t n,
		   struct errbuf *e)
{
	char field[32];

	ms->m = NULL;
	ms->n = 0;
	if (n > ALERT_MATCHERS_MAX)
		return err_fail(e, ERMS_EINVAL, "matchers",
				"matchers: at most %d, not %zu",
				ALERT_MATCHERS_MAX, n);
	if (n == 0)
		return 0;
	ms->m = xcalloc(n, sizeof(ms->m[0]));
	for (size_t i = 0; i < n; i++) {
		int rc = matcher_parse(&ms->m[i], texts[i], e);

		if (rc) {
			snprintf(field, sizeof(field), "matchers[%zu]", i);
			if (e) {
				char msg[sizeof(e->msg)];

				snprintf(msg, sizeof(msg), "%s", e->msg);
				errbuf_set(e, NULL, "%s: %s", field, msg);
			}
			errbuf_field(e, field);
			matchers_release(ms);
			return rc;
		}
		ms->n = i + 1;
	}
	return 0;
}

bool matchers_match(const struct matchers *ms, const struct label_set *s)
{
	for (size_t i = 0; i < ms->n; i++)
		if (!matcher_match(&ms->m[i], s))
			return false;
	return true;
}

void matchers_release(struct matchers *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		matcher_release(&ms->m[i]);
	free(ms->m);
	ms->m = NULL;
	ms->n = 0;
}

static const char *const severity_names[] = {
	[SEV_CRITICAL] = "critical", [SEV_HIGH] = "high",
	[SEV_WARNING] = "warning", [SEV_INFO] = "info",
};
static_assert(ARRAY_SIZE(severity_names) == SEV__COUNT,
	      "a name for every severity");

/* Vendors' words (Keep's mapping tables), lowercase. */
static const struct {
	const char *word;
	enum severity sev;
} severity_words[] = {
	{ "critical", SEV_CRITICAL }, { "crit", SEV_CRITICAL },
	{ "fatal", SEV_CRITICAL }, { "emergency", SEV_CRITICAL },
	{ "emerg", SEV_CRITICAL }, { "alert", SEV_CRITICAL },
	{ "disaster", SEV_CRITICAL }, { "p1", SEV_CRITICAL },
	{ "sev1", SEV_CRITICAL }, { "sev0", SEV_CRITICAL },
	{ "page", SEV_CRITICAL },
	{ "high", SEV_HIGH }, { "error", SEV_HIGH }, { "err", SEV_HIGH },
	{ "major", SEV_HIGH }, { "p2", SEV_HIGH }, { "sev2", SEV_HIGH },
	{ "warning", SEV_WARNING }, { "warn", SEV_WARNING },
	{ "average", SEV_WARNING }, { "minor", SEV_WARNING },
	{ "p3", SEV_WARNING }, { "sev3", SEV_WARNING },
	{ "info", SEV_INFO }, { "information", SEV_INFO },
	{ "informational", SEV_INFO }, { "notice", SEV_INFO },
	{ "low", SEV_INFO }, { "ok", SEV_INFO }, { "debug", SEV_INFO },
	{ "not classified", SEV_INFO }, { "p4", SEV_INFO },
	{ "p5", SEV_INFO }, { "sev4", SEV_INFO },
};

const char *severity_name(enum severity s)
{
	if ((unsigned)s >= SEV__COUNT)
		return "info";
	return severity_names[s];
}

int severity_from_name(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < SEV__COUNT; i++)
		if (!strcmp(s, severity_names[i]))
			return i;
	return -1;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

enum severity severity_normalise(const char *word, enum severity fallback)
{
	const char *end;
	size_t len;

	if (!word)
		return fallback;
	while (is_space(*word))
		word++;
	end = word + strlen(word);
	while (end > word && is_space(end[-1]))
		end--;
	len = (size_t)(end - word);
	for (size_t i = 0; i < ARRAY_SIZE(severity_words); i++) {
		const char *w = severity_words[i].word;
		size_t j = 0;

		while (j < len && w[j] && ascii_lower(word[j]) == w[j])
			j++;
		if (j == len && !w[j])
			return severity_words[i].sev;
	}
	return fallback;
}

bool window_covers(const struct window *w, const struct label_set *s,
		   int64_t now_ms)
{
	return now_ms >= w->start_ms && now_ms < w->end_ms &&
	       matchers_match(&w->match, s);
}

/* The name inside "{{ … }}" at p[0..len), spaces trimmed. */
static void trim(const char **p, size_t *len)
{
	while (*len && is_space(**p))
		(*p)++, (*len)--;
	while (*len && is_space((*p)[*len - 1]))
		(*len)--;
}

static bool has_prefix(const char *p, size_t len, const char *prefix,
		       size_t plen)
{
	return len >= plen && !memcmp(p, prefix, plen);
}

static bool word_is(const char *p, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(p, word, len);
}

/* The value of the placeholder p[0..len), or NULL (unknown or absent). */
static const char *lookup(const char *p, size_t len,
			  const struct template_vars *v)
{
	char name[ALERT_NAME_MAX + 1];
	const struct label_set *set = v->labels;

	if (word_is(p, len, "severity"))
		return v->severity;
	if (word_is(p, len, "summary"))
		return v->summary;
	if (word_is(p, len, "source"))
		return v->source;
	if (has_prefix(p, len, "labels.", 7)) {
		p += 7, len -= 7;
	} else if (has_prefix(p, len, "annotations.", 12)) {
		p += 12, len -= 12;
		set = v->annotations;
	}
	if (!name_ok(p, len))
		return NULL;
	memcpy(name, p, len);
	name[len] = '\0';
	return label_get(set, name);
}

void template_render(const char *tmpl, const struct template_vars *v,
		     size_t max, struct buf *out)
{
	struct buf t = BUF_INIT;
	const char *p = tmpl ? tmpl : "";

	/* Rendered until past max, so that the cut sees whole characters. */
	while (*p && t.len <= max) {
		const char *open = strstr(p, "{{"), *close, *name, *val;
		size_t len;

		if (!open || !(close = strstr(open + 2, "}}"))) {
			buf_adds(&t, p);
			break;
		}
		buf_add(&t, p, (size_t)(open - p));
		name = open + 2;
		len = (size_t)(close - name);
		trim(&name, &len);
		val = lookup(name, len, v);
		if (val)
			buf_adds(&t, val);
		p = close + 2;
	}
	buf_add(out, buf_str(&t), utf8_prefix(buf_str(&t), t.len, max));
	buf_release(&t);
}

int template_check(const char *tmpl, struct errbuf *e)
{
	const char *p = tmpl ? tmpl : "";

	while ((p = strstr(p, "{{"))) {
		const char *close = strstr(p + 2, "}}"), *name = p + 2;
		size_t len, col = (size_t)(p - tmpl) + 1;

		if (!close)
			return err_fail(e, ERMS_EINVAL, NULL,
					"template: the {{ at column %zu has "
					"no }}", col);
		len = (size_t)(close - name);
		trim(&name, &len);
		if (has_prefix(name, len, "labels.", 7))
			name += 7, len -= 7;
		else if (has_prefix(name, len, "annotations.", 12))
			name += 12, len -= 12;
		if (!name_ok(name, len))
			return err_fail(e, ERMS_EINVAL, NULL,
					"template: column %zu: {{%.*s}} is not "
					"a label, labels.<name>, "
					"annotations.<name>, severity, summary "
					"or source", col,
					(int)(close - p - 2), p + 2);
		p = close + 2;
	}
	return 0;
}
