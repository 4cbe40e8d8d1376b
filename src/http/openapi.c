/*
 * openapi.c - the OpenAPI document (GET /api/v1/openapi.json).
 *
 * Every operation comes from a row of the route table: its path and
 * query parameters, its request body (the same field table the handler
 * checks), its success answer (a schema below, or a media type) and the
 * error answers its coarse right and shape allow. The answer schemas are
 * written compactly in one table: "name:type" pairs, where type is int,
 * num, str, bool, obj, any, time (an RFC 3339 string or null), @Schema,
 * or [type for an array; a "?" after the type allows null and a "-"
 * before the name makes the property optional. Answers may carry more
 * properties than a schema lists.
 */
#include "http/openapi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/json.h"
#include "http/routes.h"
#include "util/xalloc.h"

struct schema_row {
	const char *name;
	const char *props;
	const char *doc;
};

static const struct schema_row schemas[] = {
	{ .name = "Error", .props = "error:@ErrorDetail",
	  .doc = "Every error answer" },
	{ .name = "ErrorDetail",
	  .props = "code:str message:str -field:str -message_en:str"
		   " -details:[obj -current_version:int -changed_by:obj?"
		   " -changed_at:time",
	  .doc = "code: bad_json, unknown_field, forbidden, not_found, ...;"
		 " message in the caller's language. A version_conflict"
		 " (409) and a step the state no longer allows name the"
		 " object's version now (current_version) and who changed"
		 " it last (changed_by {id, name}, null: the system) and"
		 " when (changed_at)" },
	{ .name = "Health", .props = "status:str db:@HealthDb scheduler_leader:bool" },
	{ .name = "HealthDb", .props = "engine:str role:str writable:bool",
	  .doc = "engine: sqlite, postgres; role: embedded, primary,"
		 " standby" },
	{ .name = "User",
	  .props = "id:int login:str display_name:str email:str phone:str"
		   " locale:str time_zone:str chat_ids:@ChatIds is_admin:bool"
		   " disabled:bool created_at:time updated_at:time version:int"
		   " updated_by:obj?",
	  .doc = "time_zone: an IANA zone, \"\" for the organisation's" },
	{ .name = "ChatIds", .props = "dingtalk:str wecom:str feishu:str",
	  .doc = "the user's ids in the chat platforms, for @-mentions"
		 " (\"\": none)" },
	{ .name = "Session", .props = "user:@User csrf_token:str" },
	{ .name = "MyGroup", .props = "key:str kind:str role:str" },
	{ .name = "Me",
	  .props = "user:@User groups:[@MyGroup rights:[str"
		   " effective_time_zone:str",
	  .doc = "effective_time_zone: the user's zone, else the"
		 " organisation's" },
	{ .name = "Organisation",
	  .props = "name:str time_zone:str locale:str operator_type:str"
		   " report_deadline_min:int regulators:[obj calendar:obj"
		   " version:int updated_at:time updated_by:obj?",
	  .doc = "updated_by: {id, name} of who changed it last, or null;"
		 " operator_type: cii, central or other (the first report's"
		 " deadline: 60, 120, 240 min); regulators: [{name, role,"
		 " contact, phone, email, address, note}]; calendar:"
		 " {\"2026\": {holidays, workdays}} (docs/regulatory.md)" },
	{ .name = "RegulatoryDraft",
	  .props = "kind:str content:obj items:[obj",
	  .doc = "items: [{key, label}] in the order of the reporting rules" },
	{ .name = "RegulatoryRecord",
	  .props = "year:int items:[obj summary:obj",
	  .doc = "items: each obligation (the incident's regulatory field"
		 " with incident and follow_ups); summary: {obligations,"
		 " on_time, late, due, on_time_rate}" },
	{ .name = "RegulatoryReport",
	  .props = "n:int number:str incident:obj kind:str to:str via:str"
		   " sent_at:time recorded_at:time recorded_by:obj"
		   " on_time:bool? changes:[str -content:obj",
	  .doc = "kind: first, follow_up or final; via: phone, fax, email,"
		 " platform or letter; content (one report's GET): the items"
		 " in the order of the 2025 reporting rules" },
	{ .name = "Member",
	  .props = "user_id:int login:str display_name:str role:str"
		   " -reviews_plans_from:time" },
	{ .name = "Group",
	  .props = "id:int key:str name:str kind:str duties:[str"
		   " created_at:time updated_at:time version:int"
		   " updated_by:obj? -members:[@Member" },
	{ .name = "Token",
	  .props = "id:int name:str kind:str user_id:int created_at:time"
		   " last_used_at:time expires_at:time revoked:bool -token:str"
		   " -feeds:obj",
	  .doc = "token: the secret, only in the answer to its creation" },
	{ .name = "AuditRow",
	  .props = "id:int at:time actor_id:int action:str object:str"
		   " summary:str prev_hash:str hash:str" },
	{ .name = "Plan",
	  .props = "id:int key:str -name:any -latest_version:any"
		   " -published_version:any -items:[@PlanVersion" },
	{ .name = "PlanVersion",
	  .props = "plan_id:int plan_key:str n:int status:str name:any"
		   " file:str author_id:int created_at:time updated_at:time"
		   " submitted_at:time reviewer_id:int? reviewed_at:time"
		   " review_comment:str published_at:time publisher_id:int?"
		   " superseded_at:time version:int updated_by:obj?"
		   " editors:[obj? -content:obj?" },
	{ .name = "Incident",
	  .props = "id:int number:str title:str description:str impact:str"
		   " category:str status:str level:str? level_rank:int"
		   " proposed_level:str? is_drill:bool reporter_id:int"
		   " source:str integration_id:int? commander_id:int? plan_version_id:int detected_at:time"
		   " reported_at:time acked_at:time activated_at:time"
		   " resolved_at:time closed_at:time reviewed_at:time"
		   " dismissed_at:time targets:obj deadlines:obj breaches:[str"
		   " public:bool public_summary:str public_title:str"
		   " public_message:str summary:str review:obj?"
		   " actions:[str updated_at:time regulatory:obj version:int"
		   " updated_by:obj?" },
	{ .name = "TimelineEntry",
	  .props = "id:int incident_id:int at:time actor_id:int? kind:str"
		   " text:str data:obj" },
	{ .name = "Task",
	  .props = "id:int incident_id:int title:str group:str"
		   " assignee_id:int? status:str due_at:time notes:str"
		   " origin:str created_by:int created_at:time"
		   " updated_at:time version:int updated_by:obj?" },
	{ .name = "Bulletin",
	  .props = "id:int incident_id:int audience:str text:str"
		   " author_id:int created_at:time" },
	{ .name = "Channel",
	  .props = "id:int name:str kind:str config:obj rate_burst:int"
		   " rate_period_ms:int enabled:bool created_at:time"
		   " updated_at:time version:int updated_by:obj?",
	  .doc = "config: secrets shown as ***, URLs cut to their host" },
	{ .name = "ChannelTest",
	  .props = "channel_id:int outcome:str delivered:bool code:str"
		   " error:str" },
	{ .name = "Notification",
	  .props = "id:int incident_id:int event:str tier:int channel_id:int"
		   " user_id:int? recipient:str locale:str subject:str"
		   " idempotency_key:str state:str attempts:int"
		   " next_attempt_at:time last_error:str created_at:time"
		   " sent_at:time acked_at:time acked_by:str" },
	{ .name = "Rotation",
	  .props = "id:int name:str version:int updated_by:obj?" },
	{ .name = "Drill",
	  .props = "id:int title:str kind:str category:str level:str"
		   " scheduled_at:time minutes:int location:str status:str"
		   " incident_id:int? evaluation:obj? created_at:time"
		   " started_at:time completed_at:time evaluated_at:time"
		   " updated_at:time version:int updated_by:obj?" },
	{ .name = "Supply",
	  .props = "id:int name:str kind:str location:str quantity:int"
		   " unit:str min_quantity:int low:bool inspect_by:time"
		   " notes:str created_at:time updated_at:time version:int"
		   " updated_by:obj? -movements:[@Movement" },
	{ .name = "Movement",
	  .props = "id:int supply_id:int supply:str kind:str quantity:int"
		   " unit:str incident_id:int? note:str actor_id:int at:time" },
	{ .name = "Note", .props = "id:int kind:str text:str at:time" },
	{ .name = "PlanAck",
	  .props = "user_id:int login:str display_name:str acknowledged:bool"
		   " acknowledged_at:time" },
	{ .name = "PlanAcks",
	  .props = "n:int status:str total:int acknowledged:int"
		   " items:[@PlanAck" },
	{ .name = "OnDuty", .props = "group:str at:time on_duty:obj?" },
	{ .name = "Expense",
	  .props = "id:int year:int amount_cents:int purpose:str"
		   " incident_id:int? drill_id:int? supply_id:int? actor_id:int"
		   " at:time" },
	{ .name = "Budget",
	  .props = "year:int budget_cents:int note:str spent_cents:int"
		   " remaining_cents:int expenses:[@Expense" },
	{ .name = "Compliance",
	  .props = "year:int plan:any lines:[obj overdue:[str" },
	{ .name = "Stats",
	  .props = "year:int? from:time to:time total:int by_status:obj"
		   " by_level:obj by_category:obj drills_excluded:bool"
		   " overall:@StatGroup levels:[@StatGroup"
		   " categories:[@StatGroup" },
	{ .name = "StatGroup",
	  .props = "-level:str? -category:str count:int acknowledged:int"
		   " activated:int resolved:int mtta_s:num? mttr_s:num?"
		   " time_to_activate_s:num?",
	  .doc = "means in seconds from the report, over the incidents that"
		 " reached the step (null: none did); level in levels (null:"
		 " not levelled), category in categories" },
	{ .name = "Imported", .props = "created:int" },
	{ .name = "Clock", .props = "now:time breaches:int" },
	{ .name = "Integration",
	  .props = "id:int name:str kind:str enabled:bool -key:str url:str?"
		   " key_prefix:str category:str? level:str? title_template:str"
		   " group_by:[str group_window_s:int auto_dismiss:bool"
		   " interval_s:int? rate_limit_per_min:int rules:[@Rule"
		   " maintenance:[@Window last_received_at:time received:int"
		   " alerts_total:int alerts_firing:int created_at:time"
		   " updated_at:time version:int updated_by:obj?",
	  .doc = "kind: alertmanager, grafana, events, heartbeat; key (and"
		 " url, which carries it) only in the answers of create and"
		 " rotate" },
	{ .name = "Rule",
	  .props = "matchers:[str category:str? level:str? title:str?"
		   " drop:bool",
	  .doc = "matchers in Alertmanager's syntax: name=\"v\", !=, =~, !~" },
	{ .name = "Window",
	  .props = "matchers:[str starts_at:time ends_at:time reason:str",
	  .doc = "a maintenance window: matching alerts open nothing" },
	{ .name = "Alert",
	  .props = "id:int integration_id:int incident_id:int? fingerprint:str"
		   " status:str severity:str summary:str labels:obj"
		   " annotations:obj source:str? source_url:str? details:obj?"
		   " group_key:str count:int suppressed:bool starts_at:time"
		   " ends_at:time first_seen_at:time last_seen_at:time"
		   " resolved_at:time",
	  .doc = "status: firing, resolved; severity: critical, high,"
		 " warning, info" },
	{ .name = "IntegrationTest", .props = "alert:@Alert incident:obj?" },
	{ .name = "IntakeResult",
	  .props = "status:str -alerts:int -created:int -updated:int"
		   " -resolved:int -suppressed:int -incidents_opened:int"
		   " -incident:str?",
	  .doc = "a heartbeat's answer is {status} alone" },
	{ .name = "EventAccepted",
	  .props = "status:str message:str dedup_key:str",
	  .doc = "PagerDuty's answer: success, Event processed" },
	{ .name = "IntakePayload",
	  .props = "-version:str -groupKey:str -status:str -receiver:str"
		   " -alerts:[obj -groupLabels:obj -commonLabels:obj"
		   " -commonAnnotations:obj -externalURL:str"
		   " -truncatedAlerts:int -orgId:int -routing_key:str"
		   " -event_action:str -dedup_key:str -payload:@EventPayload",
	  .doc = "the integration's kind decides: Alertmanager's webhook"
		 " (version 4), Grafana's (version 1), a PagerDuty Events"
		 " API v2 event, or anything (a heartbeat); docs/api.md" },
	{ .name = "Event",
	  .props = "routing_key:str event_action:str -dedup_key:str"
		   " -payload:@EventPayload -links:[obj -images:[obj"
		   " -client:str -client_url:str",
	  .doc = "PagerDuty Events API v2; event_action: trigger,"
		 " acknowledge, resolve" },
	{ .name = "EventPayload",
	  .props = "summary:str source:str severity:str -timestamp:str"
		   " -component:str -group:str -class:str -custom_details:any",
	  .doc = "severity: critical, error, warning, info" },
	{ .name = "StatusIncident",
	  .props = "id:int number:str title:str status:str phase:str"
		   " reported_at:time updates:[@StatusUpdate" },
	{ .name = "StatusUpdate", .props = "id:int text:str at:time" },
	{ .name = "Status",
	  .props = "updated_at:time incidents:[@StatusIncident" },
};

/* One type word ("int", "[@Task", "time") as a schema. */
static json_t *type_schema(const char *t, size_t n)
{
	static const struct { const char *word, *type; } words[] = {
		{ "int", "integer" }, { "num", "number" }, { "str", "string" },
		{ "bool", "boolean" }, { "obj", "object" },
	};
	char ref[96];

	if (n && t[0] == '[')
		return json_pack("{s:s, s:o}", "type", "array", "items",
				 type_schema(t + 1, n - 1));
	if (n && t[0] == '@') {
		snprintf(ref, sizeof(ref), "#/components/schemas/%.*s",
			 (int)(n - 1), t + 1);
		return json_pack("{s:s}", "$ref", ref);
	}
	if (n == 4 && !strncmp(t, "time", 4))
		return json_pack("{s:s, s:s, s:b}", "type", "string", "format",
				 "date-time", "nullable", 1);
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i].word) == n && !strncmp(t, words[i].word, n))
			return json_pack("{s:s}", "type", words[i].type);
	return json_object();	/* any */
}

/* A schema row as an object schema. */
static json_t *row_schema(const struct schema_row *r)
{
	json_t *props = json_object(), *req = json_array();
	json_t *o = json_pack("{s:s}", "type", "object");
	const char *p = r->props;

	while (*p) {
		const char *colon = strchr(p, ':'), *end = strchr(p, ' ');
		bool opt = *p == '-';
		size_t tn;
		char name[64];
		json_t *s;

		end = end ? end : p + strlen(p);
		snprintf(name, sizeof(name), "%.*s",
			 (int)(colon - p - opt), p + opt);
		tn = (size_t)(end - colon - 1);
		if (tn && colon[tn] == '?') {
			s = type_schema(colon + 1, tn - 1);
			json_object_set_new(s, "nullable", json_true());
		} else {
			s = type_schema(colon + 1, tn);
		}
		json_object_set_new(props, name, s);
		if (!opt)
			json_array_append_new(req, json_string(name));
		p = *end ? end + 1 : end;
	}
	if (json_array_size(req))
		json_object_set_new(o, "required", req);
	else
		json_decref(req);
	json_object_set_new(o, "properties", props);
	if (r->doc)
		json_object_set_new(o, "description", json_string(r->doc));
	return o;
}

static json_t *body_schema(const struct jbody *b);

/* o[key] = v, a bound of a field. */
static void set_int(json_t *o, const char *key, size_t v)
{
	json_object_set_new(o, key, json_integer((json_int_t)v));
}

/* A request field as a schema (bounds as json_check() applies them). */
static json_t *field_schema(const struct jfield *f)
{
	static const char *const types[] = {
		[JT_STRING] = "string", [JT_INT] = "integer",
		[JT_BOOL] = "boolean", [JT_ARRAY] = "array",
		[JT_OBJECT] = "object", [JT_REF] = "string",
	};
	json_t *s;

	if (f->type == JT_REF)
		return json_pack("{s:s, s:[{s:s, s:I, s:I}, {s:s, s:i}]}",
				 "description", "an id or a number (INC-...)",
				 "oneOf", "type", "string", "minLength",
				 (json_int_t)f->min, "maxLength",
				 (json_int_t)f->max, "type", "integer",
				 "minimum", 1);
	s = json_pack("{s:s}", "type", types[f->type]);

	if (f->type == JT_STRING && f->max) {
		set_int(s, "maxLength", f->max);
		json_object_set_new(s, "description",
				    json_string("at most maxLength bytes"));
	}
	if (f->type == JT_STRING && f->min)
		set_int(s, "minLength", f->min);
	if (f->type == JT_INT && (f->max || f->min))
		set_int(s, "minimum", f->min);
	if (f->type == JT_INT && f->max)
		set_int(s, "maximum", f->max);
	if (f->type == JT_ARRAY)
		json_object_set_new(s, "items",
				    f->of ? body_schema(f->of)
				    : f->items ? json_pack("{s:s}", "type",
							   f->items)
				    : json_object());
	if (f->type == JT_OBJECT && f->of) {
		json_decref(s);
		s = body_schema(f->of);
	}
	if (f->nullable)
		json_object_set_new(s, "nullable", json_true());
	return s;
}

/* A field table as an object schema: unknown fields are refused. */
static json_t *body_schema(const struct jbody *b)
{
	json_t *props = json_object(), *req = json_array();
	json_t *o = json_pack("{s:s, s:b}", "type", "object",
			      "additionalProperties", 0);

	for (size_t i = 0; i < b->n; i++) {
		json_object_set_new(props, b->f[i].name,
				    field_schema(&b->f[i]));
		if (b->f[i].required)
			json_array_append_new(req, json_string(b->f[i].name));
	}
	if (json_array_size(req))
		json_object_set_new(o, "required", req);
	else
		json_decref(req);
	json_object_set_new(o, "properties", props);
	return o;
}

/* The path's {names}, then the route's query arguments. */
static json_t *parameters(const struct route *r)
{
	json_t *a = json_array();
	const char *p = r->pattern;

	while ((p = strchr(p, '{'))) {
		const char *end = strchr(p, '}');
		char *name = xstrndup(p + 1, (size_t)(end - p - 1));

		json_array_append_new(
			a, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name,
				     "in", "path", "required", 1, "schema",
				     "type", "string"));
		free(name);
		p = end;
	}
	for (int i = 0; r->query && r->query[i].name; i++)
		json_array_append_new(
			a, json_pack("{s:s, s:s, s:s, s:{s:s}}", "name",
				     r->query[i].name, "in", "query",
				     "description", r->query[i].doc, "schema",
				     "type", r->query[i].type));
	return a;
}

/* The schema of a success answer: r->answer as a reference, a page of
 * them ("list:Name"), or any object. */
static json_t *answer_schema(const char *answer)
{
	char ref[96];

	if (!answer)
		return json_pack("{s:s}", "type", "object");
	if (!strncmp(answer, "list:", 5)) {
		snprintf(ref, sizeof(ref), "#/components/schemas/%s",
			 answer + 5);
		return json_pack(
			"{s:s, s:[s, s], s:{s:{s:s, s:{s:s}}, s:{s:s, s:b}}}",
			"type", "object", "required", "items", "next_cursor",
			"properties", "items", "type", "array", "items", "$ref",
			ref, "next_cursor", "type", "string", "nullable", 1);
	}
	snprintf(ref, sizeof(ref), "#/components/schemas/%s", answer);
	return json_pack("{s:s}", "$ref", ref);
}

/* The success answer of r: no content (204), a document of a media
 * type, or JSON of its schema. */
static json_t *success(const struct route *r)
{
	const char *a = r->answer;

	if (r->status == 204)
		return json_pack("{s:s}", "description", "done, no content");
	if (a && strchr(a, '/'))
		return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description",
				 "the document", "content", a, "schema",
				 "type", "string");
	return json_pack("{s:s, s:{s:{s:o}}}", "description",
			 r->status == 201 ? "created" : "success", "content",
			 "application/json", "schema", answer_schema(a));
}

/* responses[status] = the common error answer. */
static void add_error(json_t *responses, const char *status)
{
	json_object_set_new(responses, status,
			    json_pack("{s:s}", "$ref",
				      "#/components/responses/Error"));
}

/* An error answered as a page of the route's own media type. */
static void add_page_error(json_t *responses, const char *status,
			   const struct route *r)
{
	json_object_set_new(responses, status,
			    json_pack("{s:s, s:{s:{s:{s:s}}}}", "description",
				      "a page telling what went wrong",
				      "content", r->answer, "schema", "type",
				      "string"));
}

/* The answers: success, and the errors the route's shape allows. */
static json_t *responses(const struct route *r)
{
	json_t *o = json_object();
	char st[8];

	snprintf(st, sizeof(st), "%d", r->status ? r->status : 200);
	json_object_set_new(o, st, success(r));
	if (r->status_alt) {
		snprintf(st, sizeof(st), "%d", r->status_alt);
		json_object_set_new(o, st, json_pack(
			"{s:s, s:{s:{s:o}}}", "description", "accepted",
			"content", "application/json", "schema",
			answer_schema(r->answer_alt)));
	}
	if (r->body || r->body_doc || r->query || strchr(r->pattern, '{'))
		add_error(o, "400");
	if (r->access != ACCESS_ANYONE) {
		add_error(o, "401");
		add_error(o, "403");
	}
	if (r->raw_body) {	/* the intake: its key, its rate limit */
		add_error(o, "401");
		add_error(o, "429");
	}
	if (strchr(r->pattern, '{') && r->page_errors)
		add_page_error(o, "404", r);
	else if (strchr(r->pattern, '{'))
		add_error(o, "404");
	if (r->write && r->page_errors)
		add_page_error(o, "409", r);
	else if (r->write)
		add_error(o, "409");
	add_error(o, "413");	/* any request with a body past the limit */
	add_error(o, "default");
	return o;
}

/* The operation object of a route row. */
static json_t *operation(const struct route *r)
{
	json_t *op = json_pack("{s:s, s:s, s:[s], s:o, s:o}", "summary",
			       r->summary, "operationId", r->op, "tags",
			       r->tag, "parameters", parameters(r),
			       "responses", responses(r));

	if (r->access == ACCESS_ANYONE)
		json_object_set_new(op, "security", json_array());
	if (r->access == ACCESS_FEED)
		json_object_set_new(op, "security",
				    json_pack("[{s:[]}, {s:[]}, {s:[]}]",
					      "bearer", "cookie", "feed"));
	if (r->access == ACCESS_ADMIN)
		json_object_set_new(op, "description",
				    json_string("Administrators only."));
	if (r->body) {
		json_t *b = body_schema(r->body);
		bool need = json_object_get(b, "required") != NULL;

		json_object_set_new(op, "requestBody",
				    json_pack("{s:b, s:{s:{s:o}}}", "required",
					      need, "content",
					      "application/json", "schema", b));
	}
	if (r->body_doc && !strcmp(r->method, "POST"))
		json_object_set_new(op, "requestBody",
				    json_pack("{s:b, s:{s:{s:o}}}", "required",
					      r->status == 202, "content",
					      "application/json", "schema",
					      answer_schema(r->body_doc)));
	return op;
}

/* The tags of the route rows (.tag), in the document's order. */
static const struct { const char *name, *doc; } tags[] = {
	{ "system", "Health, metrics and this document" },
	{ "session", "Signing in and the signed-in user" },
	{ "organisation", "The organisation's settings: time zone, language, operator type, regulators, working days" },
	{ "regulatory", "The duty to report to regulators: reports, the record" },
	{ "tokens", "API tokens and calendar feed tokens" },
	{ "users", "User accounts" },
	{ "groups", "The organisation: groups and their members" },
	{ "audit", "The audit log" },
	{ "plans", "Emergency plans: versions, review, publication" },
	{ "incidents", "Incidents: report, steps, timeline, live updates" },
	{ "tasks", "Tasks of an incident" },
	{ "notifications", "Channels and the delivery log" },
	{ "duty", "Duty rotations" },
	{ "supplies", "Emergency supplies" },
	{ "funds", "Budgets and expenses" },
	{ "drills", "Drills and yearly statistics" },
	{ "status", "Bulletins and the public status page" },
	{ "integrations", "Monitoring integrations and their alerts" },
	{ "intake", "What monitors post: alerts, events, heartbeats" },
};

/* The answer schemas, the common error answer, the security schemes. */
static json_t *components(void)
{
	json_t *sch = json_object();

	for (size_t i = 0; i < ARRAY_SIZE(schemas); i++)
		json_object_set_new(sch, schemas[i].name,
				    row_schema(&schemas[i]));
	return json_pack(
		"{s:o, s:{s:{s:s, s:{s:{s:{s:s}}}}}, s:{s:{s:s, s:s},"
		" s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}}}",
		"schemas", sch, "responses", "Error", "description",
		"an error (docs/api.md lists the codes)", "content",
		"application/json", "schema", "$ref",
		"#/components/schemas/Error", "securitySchemes", "bearer",
		"type", "http", "scheme", "bearer", "cookie", "type", "apiKey",
		"in", "cookie", "name", "erms_session", "feed", "type",
		"apiKey", "in", "query", "name", "token", "description",
		"a calendar feed token (ermsf_...), only on the .ics feeds");
}

json_t *openapi_doc(const char *server_url)
{
	json_t *paths = json_object(), *tl = json_array();

	for (int i = 0; i < routes_count; i++) {
		const struct route *r = &routes[i];
		json_t *item = json_object_get(paths, r->pattern);
		char method[8];
		size_t k;

		if (!item) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		for (k = 0; r->method[k] && k < sizeof(method) - 1; k++)
			method[k] = (char)(r->method[k] | 0x20);
		method[k] = '\0';
		json_object_set_new(item, method, operation(r));
	}
	for (size_t i = 0; i < ARRAY_SIZE(tags); i++)
		json_array_append_new(tl, json_pack("{s:s, s:s}", "name",
						    tags[i].name, "description",
						    tags[i].doc));
	return json_pack(
		"{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:[{s:s}], s:o, s:o,"
		" s:o, s:[{s:[]}, {s:[]}]}",
		"openapi", "3.0.3", "info", "title", "erms API", "version",
		ERMS_VERSION, "description",
		"Emergency Response Management System. See docs/api.md.",
		"license", "name", "MIT", "url",
		"https://opensource.org/licenses/MIT", "servers", "url",
		server_url && *server_url ? server_url : "/", "tags", tl,
		"paths", paths, "components", components(), "security",
		"bearer", "cookie");
}
