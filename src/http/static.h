/*
 * static.h - the web console's files, compiled into the binary.
 */
#ifndef ERMS_HTTP_STATIC_H
#define ERMS_HTTP_STATIC_H

#include <stdbool.h>

#include "http/req.h"

/* Compute the ETags once; call before serving. */
void static_init(void);
/*
 * Answer GET path from the embedded files ("/" is index.html). Returns
 * false when there is no such file. if_none_match may be NULL.
 */
bool static_serve(struct req *rq, struct resp *rs, const char *path,
		  const char *if_none_match);

#endif
