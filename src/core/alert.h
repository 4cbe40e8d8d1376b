/*
 * alert.h - the pure rules of monitoring intake: label sets, their
 * fingerprint, Alertmanager's label matchers, severity normalisation,
 * maintenance windows and title templates.
 *
 * No I/O and no JSON: callers (app/intake.c) turn a payload into label
 * sets and ask here. Times are int64 milliseconds UTC.
 */
#ifndef ERMS_CORE_ALERT_H
#define ERMS_CORE_ALERT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define ALERT_LABELS_MAX 64		/* labels (or annotations) per alert */
#define ALERT_NAME_MAX 128		/* bytes of a label name */
#define ALERT_VALUE_MAX 4096		/* bytes of a label value */
#define ALERT_MATCHERS_MAX 32		/* matchers per rule or window */
#define ALERT_FP_LEN 16			/* hex digits of a fingerprint */

/* A label (or annotation): borrowed strings. */
struct label {
	const char *name;
	const char *value;
};

/* A set of labels; kept sorted by name by label_sort(). */
struct label_set {
	struct label *l;
	size_t n;
};

/* Sort by name (byte order), as Alertmanager and Prometheus do. */
void label_sort(struct label_set *s);
/* The value of name, or NULL. */
const char *label_get(const struct label_set *s, const char *name);
/*
 * Is the label set well formed? Names match [a-zA-Z_][a-zA-Z0-9_]*, are
 * unique and at most ALERT_NAME_MAX bytes; values are valid UTF-8 of at
 * most ALERT_VALUE_MAX bytes; at most ALERT_LABELS_MAX labels. On error
 * e names the label ("labels.<name>") and what is wrong.
 */
int label_set_check(const struct label_set *s, const char *what,
		    struct errbuf *e);
/*
 * The fingerprint of a sorted label set, as Prometheus computes it
 * (model.LabelSet.Fingerprint: FNV-1a 64 over name, 0xff, value, 0xff
 * for each label in name order), as ALERT_FP_LEN lowercase hex digits
 * (and a NUL). An alert with the same labels has the same fingerprint
 * in erms and in Alertmanager: labels with an empty value are left out,
 * as Alertmanager drops them. A set not in name order is hashed as if
 * it were sorted (the set itself is not changed).
 */
void label_fingerprint(const struct label_set *s, char out[ALERT_FP_LEN + 1]);

/* Alertmanager's matcher operators. */
enum match_op { MATCH_EQ, MATCH_NE, MATCH_RE, MATCH_NRE };

struct matcher {
	char name[ALERT_NAME_MAX + 1];
	enum match_op op;
	char *value;			/* owned */
	regex_t re;			/* MATCH_RE, MATCH_NRE: anchored */
	bool has_re;
};

/*
 * Parse one matcher in Alertmanager's syntax: name, an operator (=, !=,
 * =~, !~), a value, quoted ("…" with \" \\ \n escapes) or not; spaces
 * around the operator allowed. Regular expressions are anchored at both
 * ends as Alertmanager's are (^(?:re)$), POSIX extended syntax. 0, or
 * ERMS_EINVAL with e saying what is wrong (column included).
 */
int matcher_parse(struct matcher *m, const char *text, struct errbuf *e);
/* The matcher as text, in the form matcher_parse() reads. */
void matcher_format(const struct matcher *m, struct buf *out);
void matcher_release(struct matcher *m);
/* Does the label set match? A missing label matches as the empty value,
 * as in Alertmanager (so name="" matches an absent label). */
bool matcher_match(const struct matcher *m, const struct label_set *s);

/* A list of matchers, all of which must match (an empty list matches). */
struct matchers {
	struct matcher *m;
	size_t n;
};

/* Parse texts[0..n): ERMS_EINVAL naming the index ("matchers[2]"). */
int matchers_parse(struct matchers *ms, const char *const *texts, size_t n,
		   struct errbuf *e);
bool matchers_match(const struct matchers *ms, const struct label_set *s);
void matchers_release(struct matchers *ms);

/* The normalised severities, most severe first. */
enum severity { SEV_CRITICAL, SEV_HIGH, SEV_WARNING, SEV_INFO, SEV__COUNT };

/* "critical", "high", "warning", "info". */
const char *severity_name(enum severity s);
/* The inverse of severity_name(); -1 when not one of them. */
int severity_from_name(const char *s);
/*
 * A vendor's word for a severity, normalised as Keep's mapping tables do
 * (case-insensitive): critical, crit, fatal, emergency, emerg, alert,
 * disaster, p1, sev1, sev0, page -> critical; high, error, err, major,
 * p2, sev2 -> high; warning, warn, average, minor, p3, sev3 -> warning;
 * info, information, informational, notice, low, ok, debug, not
 * classified, p4, p5, sev4 -> info. Anything else, or NULL: fallback.
 */
enum severity severity_normalise(const char *word, enum severity fallback);

/* A maintenance window: alerts matching during [start, end) are kept
 * but open nothing. */
struct window {
	int64_t start_ms, end_ms;
	struct matchers match;
};

bool window_covers(const struct window *w, const struct label_set *s,
		   int64_t now_ms);

/*
 * A title from a template: {{name}} is the label `name`,
 * {{labels.name}} the same, {{annotations.name}} an annotation, and
 * {{severity}}, {{summary}}, {{source}} what the caller gives. Unknown
 * or absent values become "". Spaces inside the braces are ignored; a
 * "{{" without its "}}" is kept as written. The result is cut (at a
 * character boundary) to at most max bytes and appended to out.
 */
struct template_vars {
	const struct label_set *labels;
	const struct label_set *annotations;
	const char *severity;
	const char *summary;
	const char *source;
};

void template_render(const char *tmpl, const struct template_vars *v,
		     size_t max, struct buf *out);
/* Is the template well formed (every "{{" closed, known prefixes)? */
int template_check(const char *tmpl, struct errbuf *e);

#endif
