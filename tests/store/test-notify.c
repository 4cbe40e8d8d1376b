/*
 * test-notify.c - the store contract for channels, the chat channels of
 * groups, and the outbox of notifications.
 */
#include "contract.h"

static struct channel mk_channel(const char *name, int kind)
{
	struct channel c = { .kind = kind, .config = (char *)"{\"url\":\"x\"}",
			     .rate_burst = 3, .rate_period_ms = 60000,
			     .enabled = true, .created_ms = 100 };

	snprintf(c.name, sizeof(c.name), "%s", name);
	return c;
}

struct ch_seen {
	int n;
	int64_t id[4];
};

static int ch_seen(void *ctx, const struct channel *c)
{
	struct ch_seen *s = ctx;

	if (s->n < 4)
		s->id[s->n] = c->id;
	s->n++;
	return 0;
}

static int ch_stop(void *ctx, const struct channel *c)
{
	(void)c;
	++*(int *)ctx;
	return 17;
}

static void test_channels(void **state)
{
	struct fixture *f = *state;
	struct channel a = mk_channel("值班邮件", CH_EMAIL);
	struct channel b = mk_channel("ops", CH_WEBHOOK), dup = a;
	struct channel out = { 0 };
	struct ch_seen s = { 0 };
	int calls = 0;

	assert_int_equal(store_channel_insert(f->st, &a), 0);
	assert_int_equal(store_channel_insert(f->st, &b), 0);
	assert_int_equal(store_channel_insert(f->st, &dup), ERMS_ECONFLICT);
	assert_true(b.id > a.id);
	assert_int_equal(a.updated_ms, 100);
	assert_int_equal(store_channel_get(f->st, a.id, &out), 0);
	assert_string_equal(out.name, "值班邮件");
	assert_int_equal(out.kind, CH_EMAIL);
	assert_string_equal(out.config, "{\"url\":\"x\"}");
	assert_int_equal(out.rate_burst, 3);
	assert_int_equal(out.rate_period_ms, 60000);
	assert_true(out.enabled);
	assert_int_equal(out.created_ms, 100);
	assert_int_equal(out.updated_ms, 100);
	assert_int_equal(store_channel_get(f->st, b.id + 100, &out),
			 ERMS_ENOTFOUND);
	b.config = (char *)"{\"url\":\"y\"}";
	snprintf(b.name, sizeof(b.name), "ops-2");
	b.rate_burst = 0;
	b.rate_period_ms = 0;
	b.enabled = false;
	b.updated_ms = 200;
	assert_int_equal(store_channel_update(f->st, &b), 0);
	assert_int_equal(store_channel_get(f->st, b.id, &out), 0);
	assert_string_equal(out.name, "ops-2");
	assert_int_equal(out.kind, CH_WEBHOOK);
	assert_string_equal(out.config, "{\"url\":\"y\"}");
	assert_int_equal(out.rate_burst, 0);
	assert_false(out.enabled);
	assert_int_equal(out.updated_ms, 200);
	channel_release(&out);
	snprintf(b.name, sizeof(b.name), "值班邮件");
	assert_int_equal(store_channel_update(f->st, &b), ERMS_ECONFLICT);
	b.id += 100;
	assert_int_equal(store_channel_update(f->st, &b), ERMS_ENOTFOUND);
	assert_int_equal(store_channel_list(f->st, ch_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], a.id);
	assert_int_equal(store_channel_list(f->st, ch_stop, &calls), 17);
	assert_int_equal(calls, 1);
}

static struct notification mk_nt(int64_t channel, const char *idem,
				 int64_t at)
{
	struct notification n = { .incident_id = 4, .tier = 1,
				  .channel_id = channel, .created_ms = at };

	snprintf(n.event, sizeof(n.event), "report");
	snprintf(n.locale, sizeof(n.locale), "zh-CN");
	snprintf(n.idem_key, sizeof(n.idem_key), "%s", idem);
	n.recipient = (char *)"ops@example.org";
	n.subject = (char *)"主题";
	n.text = (char *)"正文";
	n.markdown = (char *)"**正文**";
	n.link = (char *)"https://erms.example/i/4";
	return n;
}

/* A channel in use by the delivery log is only disabled; an unused one
 * goes, from groups too. Groups' channel sets are replaced whole. */
static void test_channel_delete_and_groups(void **state)
{
	struct fixture *f = *state;
	struct channel a = mk_channel("a", CH_SLACK), b = mk_channel("b", CH_FEISHU);
	struct channel c = mk_channel("c", CH_DINGTALK), out = { 0 };
	struct notification n;
	struct ch_seen s = { 0 };
	int64_t g = add_group(f->st, "tech", GK_TEAM), ids[3];
	bool disabled = true;
	int calls = 0;

	assert_int_equal(store_channel_insert(f->st, &a), 0);
	assert_int_equal(store_channel_insert(f->st, &b), 0);
	assert_int_equal(store_channel_insert(f->st, &c), 0);
	ids[0] = c.id;
	ids[1] = a.id;
	assert_int_equal(store_group_channels_set(f->st, g, ids, 2), 0);
	assert_int_equal(store_group_channels(f->st, g, ch_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], a.id);	/* by id */
	assert_int_equal(s.id[1], c.id);
	assert_int_equal(store_group_channels(f->st, g, ch_stop, &calls), 17);
	assert_int_equal(calls, 1);
	ids[0] = b.id;
	ids[1] = b.id;	/* twice is once */
	ids[2] = a.id;
	assert_int_equal(store_group_channels_set(f->st, g, ids, 3), 0);
	s.n = 0;
	assert_int_equal(store_group_channels(f->st, g, ch_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], a.id);
	assert_int_equal(s.id[1], b.id);
	/* A channel that does not exist fails the set; the caller's
	 * rollback keeps the old one. */
	ids[0] = c.id + 100;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_group_channels_set(f->st, g, ids, 1),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_rollback(f->st), 0);
	s.n = 0;
	assert_int_equal(store_group_channels(f->st, g, ch_seen, &s), 0);
	assert_int_equal(s.n, 2);
	/* a is used by a notification: disabled, kept, out of groups. */
	n = mk_nt(a.id, "k1", 10);
	assert_int_equal(store_notification_insert(f->st, &n), 0);
	assert_int_equal(store_channel_delete(f->st, a.id, &disabled), 0);
	assert_true(disabled);
	assert_int_equal(store_channel_get(f->st, a.id, &out), 0);
	assert_false(out.enabled);
	channel_release(&out);
	s.n = 0;
	assert_int_equal(store_group_channels(f->st, g, ch_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], b.id);
	/* b is not used: gone. */
	assert_int_equal(store_channel_delete(f->st, b.id, &disabled), 0);
	assert_false(disabled);
	assert_int_equal(store_channel_get(f->st, b.id, &out), ERMS_ENOTFOUND);
	s.n = 0;
	assert_int_equal(store_group_channels(f->st, g, ch_seen, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_channel_delete(f->st, b.id, &disabled),
			 ERMS_ENOTFOUND);
	/* An empty set clears. */
	ids[0] = c.id;
	assert_int_equal(store_group_channels_set(f->st, g, ids, 1), 0);
	assert_int_equal(store_group_channels_set(f->st, g, ids, 0), 0);
	s.n = 0;
	assert_int_equal(store_group_channels(f->st, g, ch_seen, &s), 0);
	assert_int_equal(s.n, 0);
}

static void test_notification_fields(void **state)
{
	struct fixture *f = *state;
	struct channel c = mk_channel("c", CH_EMAIL);
	struct notification n, m, out = { 0 };
	int64_t u = add_user(f->st, "rcpt");

	assert_int_equal(store_channel_insert(f->st, &c), 0);
	n = mk_nt(c.id, "idem-1", 500);
	n.user_id = u;
	n.ack_link = (char *)"https://erms.example/ack/xyz";
	snprintf(n.ack_hash, sizeof(n.ack_hash), "ackhash1");
	n.ack_expires_ms = 9000;
	n.mentions = (char *)"[{\"name\":\"张三\",\"id\":\"zs\",\"mobile\":\"\"}]";
	n.state = NS_SENT;	/* insert always makes it pending */
	assert_int_equal(store_notification_insert(f->st, &n), 0);
	assert_int_equal(n.state, NS_PENDING);
	assert_int_equal(store_notification_get(f->st, n.id, &out), 0);
	assert_int_equal(out.incident_id, 4);
	assert_string_equal(out.event, "report");
	assert_int_equal(out.tier, 1);
	assert_int_equal(out.channel_id, c.id);
	assert_int_equal(out.user_id, u);
	assert_string_equal(out.locale, "zh-CN");
	assert_string_equal(out.idem_key, "idem-1");
	assert_string_equal(out.ack_hash, "ackhash1");
	assert_string_equal(out.recipient, "ops@example.org");
	assert_string_equal(out.subject, "主题");
	assert_string_equal(out.text, "正文");
	assert_string_equal(out.markdown, "**正文**");
	assert_string_equal(out.link, "https://erms.example/i/4");
	assert_string_equal(out.ack_link, "https://erms.example/ack/xyz");
	assert_string_equal(out.last_error, "");
	assert_string_equal(out.acked_by, "");
	assert_int_equal(out.state, NS_PENDING);
	assert_int_equal(out.attempts, 0);
	assert_int_equal(out.next_ms, 500);	/* at once */
	assert_int_equal(out.ack_expires_ms, 9000);
	assert_int_equal(out.acked_ms, 0);
	assert_int_equal(out.created_ms, 500);
	assert_int_equal(out.sent_ms, 0);
	assert_string_equal(out.mentions,
			    "[{\"name\":\"张三\",\"id\":\"zs\",\"mobile\":\"\"}]");
	assert_int_equal(store_notification_by_ack(f->st, "ackhash1", &out), 0);
	assert_int_equal(out.id, n.id);
	assert_int_equal(store_notification_by_ack(f->st, "nope", &out),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_notification_get(f->st, n.id + 100, &out),
			 ERMS_ENOTFOUND);
	/* One message per idempotency key; an ack hash once; the channel
	 * must exist. A group's chat has no user. */
	m = mk_nt(c.id, "idem-1", 600);
	assert_int_equal(store_notification_insert(f->st, &m), ERMS_ECONFLICT);
	m = mk_nt(c.id, "idem-2", 600);
	snprintf(m.ack_hash, sizeof(m.ack_hash), "ackhash1");
	assert_int_equal(store_notification_insert(f->st, &m), ERMS_ECONFLICT);
	m = mk_nt(c.id + 100, "idem-3", 600);
	assert_int_equal(store_notification_insert(f->st, &m), ERMS_ENOTFOUND);
	m = mk_nt(c.id, "idem-4", 600);
	m.next_ms = 700;
	assert_int_equal(store_notification_insert(f->st, &m), 0);
	assert_int_equal(store_notification_get(f->st, m.id, &out), 0);
	assert_int_equal(out.user_id, 0);
	assert_int_equal(out.next_ms, 700);
	assert_string_equal(out.ack_link, "");
	assert_string_equal(out.ack_hash, "");
	notification_release(&out);
}

struct nt_seen {
	int n;
	int64_t id[8];
};

static int nt_seen(void *ctx, const struct notification *n)
{
	struct nt_seen *s = ctx;

	if (s->n < 8)
		s->id[s->n] = n->id;
	s->n++;
	return 0;
}

static int nt_stop(void *ctx, const struct notification *n)
{
	(void)n;
	++*(int *)ctx;
	return 18;
}

/* Delivery: due ones oldest first; an attempt, a success, an ack are
 * written back; a link rebuilt under a new key. */
static void test_notification_delivery(void **state)
{
	struct fixture *f = *state;
	struct channel c = mk_channel("c", CH_WECOM);
	struct notification a, b, out = { 0 };
	struct nt_seen s = { 0 };
	int calls = 0;

	assert_int_equal(store_channel_insert(f->st, &c), 0);
	a = mk_nt(c.id, "a", 100);
	b = mk_nt(c.id, "b", 200);
	assert_int_equal(store_notification_insert(f->st, &a), 0);
	assert_int_equal(store_notification_insert(f->st, &b), 0);
	assert_int_equal(store_notification_due(f->st, 99, 10, nt_seen, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_notification_due(f->st, 200, 10, nt_seen, &s),
			 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], a.id);
	assert_int_equal(s.id[1], b.id);
	s.n = 0;
	assert_int_equal(store_notification_due(f->st, 200, 1, nt_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(store_notification_due(f->st, 200, 10, nt_stop,
						&calls), 18);
	assert_int_equal(calls, 1);
	/* a fails once and waits; b is sent and acknowledged. */
	a.attempts = 1;
	a.next_ms = 1000;
	a.last_error = (char *)"timeout 超时";
	assert_int_equal(store_notification_update(f->st, &a), 0);
	b.state = NS_SENT;
	b.attempts = 1;
	b.sent_ms = 250;
	assert_int_equal(store_notification_ack(f->st, b.id, 300, "值班员"), 0);
	/* a delivery's write, from a copy read before the acknowledgement,
	 * keeps it; a second acknowledgement is refused */
	assert_int_equal(store_notification_update(f->st, &b), 0);
	assert_int_equal(store_notification_ack(f->st, b.id, 400, "别人"),
			 ERMS_ECONFLICT);
	assert_int_equal(store_notification_ack(f->st, b.id + 100, 400, "x"),
			 ERMS_ECONFLICT);
	s.n = 0;
	assert_int_equal(store_notification_due(f->st, 999, 10, nt_seen, &s),
			 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_notification_due(f->st, 1000, 10, nt_seen, &s),
			 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], a.id);
	assert_int_equal(store_notification_get(f->st, a.id, &out), 0);
	assert_int_equal(out.attempts, 1);
	assert_int_equal(out.next_ms, 1000);
	assert_string_equal(out.last_error, "timeout 超时");
	assert_int_equal(store_notification_get(f->st, b.id, &out), 0);
	assert_int_equal(out.state, NS_SENT);
	assert_int_equal(out.sent_ms, 250);
	assert_int_equal(out.acked_ms, 300);
	assert_string_equal(out.acked_by, "值班员");
	assert_int_equal(store_notification_set_ack(f->st, b.id,
						    "https://x/ack/new", "h2"),
			 0);
	assert_int_equal(store_notification_by_ack(f->st, "h2", &out), 0);
	assert_int_equal(out.id, b.id);
	assert_string_equal(out.ack_link, "https://x/ack/new");
	notification_release(&out);
	assert_int_equal(store_notification_set_ack(f->st, b.id + 100, "l",
						    "h3"), ERMS_ENOTFOUND);
	b.id += 100;
	assert_int_equal(store_notification_update(f->st, &b), ERMS_ENOTFOUND);
}

static int nt_list(struct store *st, struct notification_filter f,
		   struct nt_seen *s)
{
	s->n = 0;
	if (!f.limit)
		f.limit = 50;
	assert_int_equal(store_notification_list(st, &f, nt_seen, s), 0);
	return s->n;
}

/* The delivery log: newest first, by incident, state and channel, paged
 * with a cursor. */
/* The claim: due ones, oldest first, leased until the given time; a
 * second claim before the lease ends finds nothing, one after it finds
 * them again (a node that died gave them back). */
static void test_notification_claim(void **state)
{
	struct fixture *f = *state;
	struct channel c = mk_channel("c", CH_WECOM);
	struct notification a, b, out = { 0 };
	struct nt_seen s = { 0 };

	assert_int_equal(store_channel_insert(f->st, &c), 0);
	a = mk_nt(c.id, "a", 100);
	b = mk_nt(c.id, "b", 200);
	assert_int_equal(store_notification_insert(f->st, &a), 0);
	assert_int_equal(store_notification_insert(f->st, &b), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_notification_claim(f->st, 150, 5000, 10,
						  nt_seen, &s), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], a.id);
	assert_int_equal(store_notification_get(f->st, a.id, &out), 0);
	assert_int_equal(out.next_ms, 5000);
	assert_int_equal(out.state, NS_PENDING);
	notification_release(&out);
	s.n = 0;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_notification_claim(f->st, 4999, 9000, 10,
						  nt_seen, &s), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], b.id);
	s.n = 0;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_notification_claim(f->st, 5000, 9000, 1,
						  nt_seen, &s), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], a.id);
}

static void test_notification_list(void **state)
{
	struct fixture *f = *state;
	struct channel c = mk_channel("c", CH_EMAIL), d = mk_channel("d", CH_EMAIL);
	struct notification n[4];
	struct nt_seen s;
	int calls = 0;
	struct notification_filter any = { .limit = 50 };

	assert_int_equal(store_channel_insert(f->st, &c), 0);
	assert_int_equal(store_channel_insert(f->st, &d), 0);
	for (int i = 0; i < 4; i++) {
		char k[8];

		snprintf(k, sizeof(k), "k%d", i);
		n[i] = mk_nt(i == 3 ? d.id : c.id, k, 100 + i);
		n[i].incident_id = i < 2 ? 7 : 8;
		assert_int_equal(store_notification_insert(f->st, &n[i]), 0);
	}
	n[1].state = NS_FAILED;
	assert_int_equal(store_notification_update(f->st, &n[1]), 0);
	assert_int_equal(nt_list(f->st, any, &s), 4);
	assert_int_equal(s.id[0], n[3].id);
	assert_int_equal(s.id[3], n[0].id);
	assert_int_equal(nt_list(f->st, (struct notification_filter){
			 .incident_id = 7 }, &s), 2);
	assert_int_equal(s.id[0], n[1].id);
	assert_int_equal(nt_list(f->st, (struct notification_filter){
			 .state = "failed" }, &s), 1);
	assert_int_equal(s.id[0], n[1].id);
	assert_int_equal(nt_list(f->st, (struct notification_filter){
			 .state = "pending", .incident_id = 8 }, &s), 2);
	assert_int_equal(nt_list(f->st, (struct notification_filter){
			 .channel_id = d.id }, &s), 1);
	assert_int_equal(s.id[0], n[3].id);
	assert_int_equal(nt_list(f->st, (struct notification_filter){
			 .limit = 3 }, &s), 3);
	assert_int_equal(nt_list(f->st, (struct notification_filter){
			 .limit = 3, .before_id = s.id[2] }, &s), 1);
	assert_int_equal(s.id[0], n[0].id);
	assert_int_equal(store_notification_list(f->st, &any, nt_stop, &calls),
			 18);
	assert_int_equal(calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_channels),
		CT(test_channel_delete_and_groups),
		CT(test_notification_fields),
		CT(test_notification_delivery),
		CT(test_notification_claim),
		CT(test_notification_list),
	};

	return contract_main("notify", tests, ARRAY_LEN(tests));
}
