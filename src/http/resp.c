/*
 * resp.c - building answers, and the one place where error codes become
 * HTTP statuses and error messages become the caller's language.
 */
#include "http/req.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/xalloc.h"

void resp_release(struct resp *rs)
{
	if (rs->finish_free)
		rs->finish_free(rs->finish_ctx);
	if (rs->stream.free)
		rs->stream.free(rs->stream.ctx);
	json_decref(rs->json);
	if (!rs->body_static)
		free(rs->body);
	for (int i = 0; i < rs->nhdr; i++)
		free(rs->hdr[i].value);
	memset(rs, 0, sizeof(*rs));
}

void resp_json(struct resp *rs, int status, json_t *j)
{
	json_decref(rs->json);
	rs->status = status;
	rs->json = j;
}

void resp_list(struct resp *rs, json_t *items, int64_t last)
{
	json_t *o = json_object();
	char cur[24];

	json_object_set_new(o, "items", items);
	if (last) {
		snprintf(cur, sizeof(cur), "%lld", (long long)last);
		json_object_set_new(o, "next_cursor", json_string(cur));
	} else {
		json_object_set_new(o, "next_cursor", json_null());
	}
	resp_json(rs, 200, o);
}

void resp_status(struct resp *rs, int status)
{
	rs->status = status;
}

void resp_bytes(struct resp *rs, int status, const char *ctype,
		const void *p, size_t n)
{
	if (!rs->body_static)
		free(rs->body);
	rs->status = status;
	rs->ctype = ctype;
	rs->body = xmalloc(n + 1);
	memcpy(rs->body, p, n);
	rs->body[n] = '\0';
	rs->len = n;
	rs->body_static = false;
}

void resp_take(struct resp *rs, int status, const char *ctype, char *p,
	       size_t n)
{
	if (!rs->body_static)
		free(rs->body);
	rs->status = status;
	rs->ctype = ctype;
	rs->body = p;
	rs->len = n;
	rs->body_static = false;
}

void resp_static(struct resp *rs, int status, const char *ctype,
		 const void *p, size_t n)
{
	if (!rs->body_static)
		free(rs->body);
	rs->status = status;
	rs->ctype = ctype;
	rs->body = (char *)p;
	rs->len = n;
	rs->body_static = true;
}

void resp_header(struct resp *rs, const char *name, const char *fmt, ...)
{
	char v[512];
	va_list ap;

	if (rs->nhdr >= RESP_HEADERS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	rs->hdr[rs->nhdr].name = name;
	rs->hdr[rs->nhdr].value = xstrdup(v);
	rs->nhdr++;
}

void resp_etag(struct resp *rs, int64_t version)
{
	resp_header(rs, "ETag", "\"%lld\"", (long long)version);
}

int64_t req_version(const struct req *rq)
{
	json_t *v = json_object_get(rq->body, "version");

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

int http_status_of(int rc)
{
	switch (rc) {
	case ERMS_OK:		return 200;
	case ERMS_EINVAL:	return 400;
	case ERMS_EAUTH:	return 401;
	case ERMS_EPERM:	return 403;
	case ERMS_ENOTFOUND:	return 404;
	case ERMS_ECONFLICT:	return 409;
	case ERMS_ETOOBIG:	return 413;
	case ERMS_ELIMIT:	return 429;
	case ERMS_EIO:		return 502;
	}
	return 503;
}

/* Chinese messages by error code; %s is the field when there is one. */
static const struct {
	const char *code;
	const char *zh;
	const char *zh_field;
} zh_messages[] = {
	{ "bad_json", "请求体不是有效的 JSON", NULL },
	{ "invalid_utf8", "请求体含有无效的 UTF-8 字节", NULL },
	{ "unknown_field", "未知字段", "未知字段“%s”" },
	{ "missing_field", "缺少必填字段", "缺少必填字段“%s”" },
	{ "wrong_type", "字段类型错误", "字段“%s”的类型错误" },
	{ "invalid", "输入无效", "字段“%s”的值无效" },
	{ "invalid_field", "输入无效", "字段“%s”的值无效" },
	{ "unauthorized", "未登录，或登录已失效", NULL },
	{ "bad_credentials", "用户名或密码错误", NULL },
	{ "forbidden", "无权执行此操作", NULL },
	{ "csrf", "缺少或错误的 CSRF 令牌", NULL },
	{ "not_found", "未找到", NULL },
	{ "method_not_allowed", "不支持此请求方法", NULL },
	{ "conflict", "与现有数据或当前状态冲突", NULL },
	{ "too_large", "请求体过大", NULL },
	{ "unsupported_media_type", "请求体必须是 application/json", NULL },
	{ "rate_limited", "尝试次数过多，请稍后再试", NULL },
	{ "unavailable", "存储暂不可用，请稍后再试", NULL },
	{ "busy", "服务器正忙，请稍后再试", NULL },
	{ "version_conflict", "此对象已被他人修改，请重新载入后再提交", NULL },
	{ "four_eyes", "导入或编辑过此版本的人不能审批它，须由领导小组的其他成员审批",
	  NULL },
	{ "cooling_off", "新加入领导小组的成员须待现行预案规定的冷静期过后才能审批预案",
	  NULL },
	{ "drill_incident_open", "演练事件仍在处置中：请先将其处置完毕（解除）或撤销，再完成演练",
	  NULL },
};

/* The field checks' common endings (http/json.c), in Chinese. */
static const struct {
	const char *en, *zh;
} zh_details[] = {
	{ " has a bad length", "长度不符合要求" },
	{ " is out of range", "超出取值范围" },
	{ " must be a string", "须为字符串" },
	{ " must be an integer", "须为整数" },
	{ " must be true or false", "须为 true 或 false" },
	{ " must be an array", "须为数组" },
	{ " must be an object", "须为对象" },
	{ " must be an id or a name (a string or a positive integer)",
	  "须为 ID 或名称（字符串或正整数）" },
};

/*
 * The zh-CN message for code: the table's, with what the English detail
 * says beyond it, so that a specific reason is not lost: a field check's
 * ending translated, the bare "missing field 'f'" nothing more, any other
 * detail after a colon as it is.
 */
static bool zh_message(const char *code, const char *field, const char *en,
		       char *zh, size_t n)
{
	size_t i;
	const char *tail = NULL;

	for (i = 0; i < ARRAY_SIZE(zh_messages); i++)
		if (!strcmp(zh_messages[i].code, code))
			break;
	if (i == ARRAY_SIZE(zh_messages))
		return false;
	if (field && *field && zh_messages[i].zh_field)
		snprintf(zh, n, zh_messages[i].zh_field, field);
	else
		snprintf(zh, n, "%s", zh_messages[i].zh);
	if (!en || !*en)
		return true;
	if (field && *field) {
		char quoted[96];
		const char *q;

		snprintf(quoted, sizeof(quoted), "'%s'", field);
		q = strstr(en, quoted);
		if (q && !strchr(en, ':'))
			tail = q + strlen(quoted);
	}
	if (tail && !*tail)
		return true;	/* "missing field 'f'": said already */
	for (size_t k = 0; tail && k < ARRAY_SIZE(zh_details); k++)
		if (!strcmp(tail, zh_details[k].en)) {
			snprintf(zh + strlen(zh), n - strlen(zh), "：%s",
				 zh_details[k].zh);
			return true;
		}
	if (strlen(zh) + strlen(en) + 4 < n)
		snprintf(zh + strlen(zh), n - strlen(zh), "：%s", en);
	return true;
}

/* A version conflict's detail (app/version.h) into the error e. */
static void version_detail(json_t *e, const struct err_version *v)
{
	char at[32];

	time_fmt(v->at_ms, at);
	json_object_set_new(e, "current_version", json_integer(v->current));
	json_object_set_new(e, "changed_by",
			    v->by_id ? json_pack("{s:I, s:s}", "id",
						 (json_int_t)v->by_id, "name",
						 v->by_name)
				     : json_null());
	json_object_set_new(e, "changed_at",
			    v->at_ms ? json_string(at) : json_null());
}

static void error_body(struct req *rq, struct resp *rs, int status,
		       const char *code, const char *field, const char *msg,
		       const struct err_version *ver)
{
	json_t *e = json_object();
	const char *detail = NULL;
	char zh[640];
	bool in_zh = rq && rq->lang && !strcmp(rq->lang, "zh-CN");

	if (in_zh && ver && ver->current && ver->msg_zh[0]) {
		/* The conflict's own Chinese text names who and when. */
		snprintf(zh, sizeof(zh), "%s", ver->msg_zh);
		detail = msg;
		msg = zh;
	} else if (in_zh && zh_message(code, field, msg, zh, sizeof(zh))) {
		detail = msg;	/* the specific text, in English */
		msg = zh;
	}
	json_object_set_new(e, "code", json_string(code));
	json_object_set_new(e, "message", json_string(msg));
	if (field && *field)
		json_object_set_new(e, "field", json_string(field));
	if (detail && strcmp(detail, zh))
		json_object_set_new(e, "message_en", json_string(detail));
	if (ver && ver->current)
		version_detail(e, ver);
	resp_json(rs, status, json_pack("{s:o}", "error", e));
}

void resp_fail(struct req *rq, struct resp *rs, int status, const char *code,
	       const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error_body(rq, rs, status, code, field, msg, NULL);
	rs->rc = ERMS_EINVAL;
}

void resp_err(struct req *rq, struct resp *rs, int rc, const struct errbuf *e)
{
	const char *code = e && e->code[0] ? e->code : erms_strerror(rc);
	const char *msg = e && e->msg[0] ? e->msg : erms_strerror(rc);

	if (rc == ERMS_ESTORE) {
		/* Never leak storage detail; the backend logged it. */
		code = "unavailable";
		msg = "storage unavailable; try again";
	}
	error_body(rq, rs, http_status_of(rc), code, e ? e->field : NULL, msg,
		   e ? &e->ver : NULL);
	if (rc == ERMS_EBUSY)
		resp_header(rs, "Retry-After", "1");
	rs->rc = rc ? rc : ERMS_EINVAL;
}
