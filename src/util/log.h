/*
 * log.h - one logfmt line per event, on stderr.
 *
 * The level is checked before the arguments are evaluated (Redis'
 * serverLog), so filtered debug lines cost a compare. Each .c file defines
 * LOG_MOD before including this header. Never log secrets.
 */
#ifndef ERMS_UTIL_LOG_H
#define ERMS_UTIL_LOG_H

#include <stddef.h>

enum log_level { LL_DEBUG, LL_INFO, LL_WARN, LL_ERROR, LL_QUIET };

extern enum log_level log_threshold;

void log_write(enum log_level lvl, const char *mod, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Every value log_write() formats has its control characters escaped
 * (log_escape), so a line is always one line. A value written inside
 * double quotes should also go through log_quote() first.
 */
size_t log_escape(char *dst, size_t n, const char *s);
const char *log_quote(char *dst, size_t n, const char *s);
/* Parses "debug", "info", "warn", "error", "quiet"; returns -1 if unknown. */
int log_level_parse(const char *s);

#ifndef LOG_MOD
#define LOG_MOD "erms"
#endif

#define log_at(lvl, ...) do { if (log_threshold <= (lvl)) \
	log_write((lvl), LOG_MOD, __VA_ARGS__); } while (0)
#define log_debug(...) log_at(LL_DEBUG, __VA_ARGS__)
#define log_info(...) log_at(LL_INFO, __VA_ARGS__)
#define log_warn(...) log_at(LL_WARN, __VA_ARGS__)
#define log_error(...) log_at(LL_ERROR, __VA_ARGS__)

#endif
