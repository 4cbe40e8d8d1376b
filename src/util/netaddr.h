/*
 * netaddr.h - matching an address against a list of networks.
 *
 * A list is comma-separated entries, each an IPv4 or IPv6 address with
 * an optional prefix length: "127.0.0.1,10.0.0.0/8,::1,fd00::/8". No
 * host names: a list that says who may read must not depend on DNS.
 */
#ifndef ERMS_UTIL_NETADDR_H
#define ERMS_UTIL_NETADDR_H

#include <stdbool.h>

/* True when every entry of list parses (and there is at least one). */
bool addr_list_valid(const char *list);
/* True when addr (numeric, as inet_ntop writes it) is in one of list's
 * networks. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) matches its
 * IPv4 networks. False for anything that does not parse. */
bool addr_in_list(const char *list, const char *addr);

/*
 * Is addr (numeric) loopback, link-local, private-use, shared (CGNAT),
 * unspecified or IPv6 unique-local? Such addresses are inside the
 * organisation: a webhook must not be pointed at them unless an
 * administrator allows it.
 */
bool addr_is_internal(const char *addr);

#endif
