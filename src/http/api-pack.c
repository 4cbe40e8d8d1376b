/*
 * api-pack.c - GET /api/v1/pack: the emergency pack as a zip, built on
 * the request's reader connection (app/pack.h).
 */
#include "http/routes.h"

#include <stdlib.h>

#include "app/pack.h"
#include "http/api.h"

void api_pack(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct pack p;
	char *zip = NULL;
	size_t len = 0;
	int rc = app_pack_get(rq->st, &rq->who, rq->now_ms, &p, &e);

	if (!rc)
		rc = app_pack_zip(&p, &zip, &len, &e);
	if (rc) {
		pack_release(&p);
		resp_err(rq, rs, rc, &e);
		return;
	}
	resp_header(rs, "Content-Disposition", "attachment; filename=\"%s.zip\"",
		    p.name);
	resp_bytes(rs, 200, "application/zip", zip, len);
	free(zip);
	pack_release(&p);
}
