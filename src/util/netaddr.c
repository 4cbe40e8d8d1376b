/*
 * netaddr.c - address lists (see netaddr.h).
 */
#include "util/netaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An address as 16 bytes (IPv4 mapped into ::ffff:0:0/96) and whether
 * it was IPv4, so prefixes of either family compare alike. */
struct net {
	unsigned char a[16];
	int bits;
};

static bool parse_addr(const char *s, unsigned char a[16], bool *v4)
{
	struct in_addr in4;

	if (inet_pton(AF_INET, s, &in4) == 1) {
		memset(a, 0, 10);
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &in4, 4);
		*v4 = true;
		return true;
	}
	*v4 = false;
	return inet_pton(AF_INET6, s, a) == 1;
}

/* One entry, "addr" or "addr/len", of at most 63 bytes. */
static bool parse_net(const char *s, size_t len, struct net *n)
{
	char buf[64], *slash, *end;
	bool v4;
	long bits;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (!parse_addr(buf, n->a, &v4))
		return false;
	n->bits = 128;
	if (slash) {
		bits = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || bits < 0 || bits > (v4 ? 32 : 128))
			return false;
		n->bits = (int)bits + (v4 ? 96 : 0);
	}
	return true;
}

static bool net_has(const struct net *n, const unsigned char a[16])
{
	int full = n->bits / 8, rest = n->bits % 8;

	if (memcmp(n->a, a, (size_t)full))
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (n->a[full] & mask) == (a[full] & mask);
}

/* Walk list: *hit when addr (if any) is in one of its networks; false
 * when an entry does not parse or the list is empty. */
static bool each(const char *list, const unsigned char *addr, bool *hit)
{
	const char *p = list;
	bool any = false;

	*hit = false;
	while (*p) {
		size_t len = strcspn(p, ",");
		struct net n;

		if (!parse_net(p, len, &n))
			return false;
		any = true;
		if (addr && net_has(&n, addr))
			*hit = true;
		p += len;
		if (*p == ',' && !*++p)
			return false;	/* a trailing comma: an empty entry */
	}
	return any;
}

bool addr_list_valid(const char *list)
{
	bool hit;

	return list && each(list, NULL, &hit);
}

bool addr_in_list(const char *list, const char *addr)
{
	unsigned char a[16];
	bool v4, hit;

	if (!list || !addr || !parse_addr(addr, a, &v4))
		return false;
	return each(list, a, &hit) && hit;
}

bool addr_is_internal(const char *addr)
{
	static const char internal[] =
		"0.0.0.0/8,10.0.0.0/8,100.64.0.0/10,127.0.0.0/8,"
		"169.254.0.0/16,172.16.0.0/12,192.168.0.0/16,"
		"::/128,::1/128,fc00::/7,fe80::/10";

	return addr_in_list(internal, addr);
}
