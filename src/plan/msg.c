/*
 * msg.c - a plan file's problems in English and in Chinese.
 *
 * Every problem is reported with an English printf format (parse.c,
 * check.c, text.c). The Chinese text is the same problem from a table
 * keyed by that format: its template names the format's conversions by
 * number, {1} as formatted and {1*} translated when it is one of the
 * plan's own words (a group, a level 'x'), so the Chinese may put them in
 * its own order. A format the table does not know reads in English.
 */
#include "plan/parse.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

#define ARGS_MAX 6
#define ARG_MAX 200

static const struct {
	const char *en, *zh;
} msgs[] = {
	{ "duplicate %s key '%s'", "{1*}的 key“{2}”重复" },
	{ "%s names unknown group '%s'", "{1*}引用了不存在的组“{2}”" },
	{ "%s names group '%s', which is not a %s",
	  "{1*}引用的组“{2}”不是{3*}" },
	{ "the plan needs exactly one group of kind leadership and one of "
	  "kind command (found %d and %d)",
	  "预案必须恰好有一个 kind 为 leadership（领导小组）的组和一个 kind "
	  "为 command（指挥部）的组（现有 {1} 个和 {2} 个）" },
	{ "%s needs a team, not '*'", "{1*}须指定一个工作组（team），不能是“*”" },
	{ "%s: parent '%s' must be a category listed before it",
	  "{1*}：上级分类（parent）“{2}”必须是排在它之前的分类" },
	{ "%s: ranks must run from 1 to %zu (1 the most severe), not %lld",
	  "{1*}：级别序号（rank）须为 1 到 {2}（1 为最高级别），不能是 {3}" },
	{ "%s: rank %lld is used twice", "{1*}：级别序号 {2} 重复使用" },
	{ "%s: activate_min must not be less than ack_min (both count from "
	  "the report)",
	  "{1*}：activate_min 不得小于 ack_min（两者均从报告时起算）" },
	{ "an escalation tier must notify some group",
	  "每个上报层级都必须通知至少一个组" },
	{ "the first escalation tier is told at once: after_min must be 0",
	  "第一个上报层级立即通知：after_min 必须为 0" },
	{ "after_min must not decrease down the reporting chain (%lld after "
	  "%lld)", "after_min 沿上报链不得减小（{2} 之后为 {1}）" },
	{ "drill requirement names unknown category '%s'",
	  "演练要求引用了不存在的事件分类“{1}”" },
	{ "'%.64s' is given twice (first on line %d)",
	  "“{1}”重复出现（首次在第 {2} 行）" },
	{ "the file holds more than %d values", "文件中的值超过 {1} 个" },
	{ "aliases (*name) are not supported in plan files",
	  "预案文件不支持别名（*name）" },
	{ "'%s' must not be empty", "“{1}”不能为空" },
	{ "'%s' takes only the languages zh-CN and en",
	  "“{1}”只接受 zh-CN 和 en 两种语言" },
	{ "'%s' in %.*s must be text", "“{1}”的 {2} 必须是文本" },
	{ "'%s' needs zh-CN or en text", "“{1}”需要 zh-CN 或 en 文本" },
	{ "'%s' must be text, or {zh-CN: ..., en: ...}",
	  "“{1}”必须是文本，或 {zh-CN: ..., en: ...}" },
	{ "a %s must be a mapping of fields", "{1*}必须是由字段组成的映射" },
	{ "field names must be text", "字段名必须是文本" },
	{ "unknown field '%.*s' in %s", "{2*}中有未知字段“{1}”" },
	{ "%s is missing field '%s'", "{1*}缺少字段“{2}”" },
	{ "'%s' must be a list", "“{1}”必须是列表" },
	{ "'%s' must be a single value", "“{1}”必须是单个值" },
	{ "'%s' must be from %ld to %ld, not %ld",
	  "“{1}”必须在 {2} 到 {3} 之间，不能是 {4}" },
	{ "'%s' must be a whole number", "“{1}”必须是整数" },
	{ "'%.*s' is not a valid key for '%s' (a-z, 0-9, '_', '-', starting "
	  "with a letter)",
	  "“{1}”不是“{2}”的有效 key（小写字母、数字、“_”、“-”，以字母开头）" },
	{ "'%s' must be '%s'", "“{1}”必须是“{2}”" },
	{ "'%s' must be one of %s", "“{1}”必须是以下之一：{2}" },
	{ "'%.*s' is not a GB/T 20986-2023 class code (e.g. DE or DE/DETECH)",
	  "“{1}”不是 GB/T 20986-2023 分类代码（例如 DE 或 DE/DETECH）" },
	{ "YAML: %s", "YAML 语法错误：{1}" },
	{ "not a YAML document", "不是 YAML 文档" },
	{ "the file is empty", "文件为空" },
	{ "the file cannot be read as YAML", "文件无法按 YAML 读取" },
	{ "a plan file holds one YAML document, not several ('---' again)",
	  "预案文件只能包含一个 YAML 文档，不能有多个（再次出现“---”）" },
	{ "the file cannot be read as a plan", "文件无法作为预案读取" },
	{ "the file is larger than %d bytes", "文件超过 {1} 字节" },
	{ "the file is not valid UTF-8 (byte 0x%02x)",
	  "文件不是有效的 UTF-8（字节 0x{1}）" },
	{ "the file holds a NUL character", "文件包含 NUL 字符" },
	{ "alias *%.64s names no anchor", "别名 *{1} 没有对应的锚点" },
	{ "text must not hold a NUL character", "文本不能包含 NUL 字符" },
	{ "two escaped quotes in a row ('''') in a single-quoted text are not "
	  "read reliably: write this text in double quotes",
	  "单引号文本中连续两个转义引号（''''）无法可靠读取：请改用双引号" },
	{ "text is not valid UTF-8 (an escape such as \\ud800 makes no "
	  "character)",
	  "文本不是有效的 UTF-8（\\ud800 之类的转义不构成字符）" },
};

/* The plan's own words, as the English messages name them. */
static const struct {
	const char *en, *zh;
} words[] = {
	{ "plan", "预案" }, { "group", "组" }, { "category", "事件分类" },
	{ "level", "响应级别" }, { "targets", "处置时限" },
	{ "measure", "措施" }, { "escalation tier", "上报层级" },
	{ "drill requirement", "演练要求" }, { "section", "章节" },
	{ "acknowledgement", "学习确认" }, { "team", "工作组" },
	{ "leadership", "领导小组" }, { "command", "指挥部" },
	{ "owner", "负责组（owner）" },
};

/* s in Chinese when it is one of words[], or "<word> 'key'". */
static void word_zh(struct buf *b, const char *s)
{
	const char *q = strstr(s, " '");

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i].en);

		if (!strcmp(s, words[i].en)) {
			buf_adds(b, words[i].zh);
			return;
		}
		if (q && (size_t)(q - s) == n && !strncmp(s, words[i].en, n) &&
		    s[strlen(s) - 1] == '\'' && strlen(s) > n + 2) {
			buf_addf(b, "%s“%.*s”", words[i].zh,
				 (int)(strlen(s) - n - 3), q + 2);
			return;
		}
	}
	buf_adds(b, s);
}

/*
 * The conversions of fmt, each formatted alone into arg[i] (at most
 * ARGS_MAX). Only the conversions the messages use are known: s, .Ns,
 * .*s, d, ld, lld, zu and 02x.
 */
static int split_args(const char *fmt, va_list ap, char arg[][ARG_MAX])
{
	int n = 0;

	for (const char *p = fmt; *p; p++) {
		int prec = -1;
		bool zero2 = false;
		const char *s;

		if (*p != '%')
			continue;
		if (*++p == '%')
			continue;
		if (n == ARGS_MAX)
			break;
		if (!strncmp(p, "02", 2))
			zero2 = true, p += 2;
		if (*p == '.') {
			p++;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else {
				prec = 0;
				while (*p >= '0' && *p <= '9')
					prec = prec * 10 + (*p++ - '0');
			}
		}
		if (*p == 's') {
			s = va_arg(ap, const char *);
			if (prec >= 0)
				snprintf(arg[n], ARG_MAX, "%.*s", prec, s);
			else
				snprintf(arg[n], ARG_MAX, "%s", s);
		} else if (*p == 'd') {
			snprintf(arg[n], ARG_MAX, "%d", va_arg(ap, int));
		} else if (!strncmp(p, "lld", 3)) {
			snprintf(arg[n], ARG_MAX, "%lld", va_arg(ap, long long));
			p += 2;
		} else if (!strncmp(p, "ld", 2)) {
			snprintf(arg[n], ARG_MAX, "%ld", va_arg(ap, long));
			p++;
		} else if (!strncmp(p, "zu", 2)) {
			snprintf(arg[n], ARG_MAX, "%zu", va_arg(ap, size_t));
			p++;
		} else if (*p == 'x') {
			unsigned v = va_arg(ap, unsigned);

			if (zero2)
				snprintf(arg[n], ARG_MAX, "%02x", v);
			else
				snprintf(arg[n], ARG_MAX, "%x", v);
		} else {
			break;	/* not a conversion the messages use */
		}
		n++;
		if (!*p)
			break;
	}
	return n;
}

void pp_msg(const char *fmt, va_list ap, char *en, size_t en_n, char *zh,
	    size_t zh_n)
{
	char arg[ARGS_MAX][ARG_MAX];
	struct buf b = BUF_INIT;
	const char *tpl = NULL;
	va_list ap2;
	int nargs;

	va_copy(ap2, ap);
	vsnprintf(en, en_n, fmt, ap);
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]) && !tpl; i++)
		if (!strcmp(msgs[i].en, fmt))
			tpl = msgs[i].zh;
	if (!tpl) {
		va_end(ap2);
		snprintf(zh, zh_n, "%s", en);
		return;
	}
	nargs = split_args(fmt, ap2, arg);
	va_end(ap2);
	for (const char *p = tpl; *p; p++) {
		int i = p[0] == '{' && p[1] >= '1' && p[1] <= '9' ? p[1] - '1'
								   : -1;
		bool star = i >= 0 && p[2] == '*';

		if (i >= 0 && i < nargs && p[star ? 3 : 2] == '}') {
			if (star)
				word_zh(&b, arg[i]);
			else
				buf_adds(&b, arg[i]);
			p += star ? 3 : 2;
		} else {
			buf_add(&b, p, 1);
		}
	}
	snprintf(zh, zh_n, "%s", buf_str(&b));
	buf_release(&b);
}
