/*
 * openapi.h - the OpenAPI 3.0 document, generated from the route table
 * (routes.c), the request field tables (fields.c) and the answer schemas
 * of openapi.c.
 */
#ifndef ERMS_HTTP_OPENAPI_H
#define ERMS_HTTP_OPENAPI_H

#include <jansson.h>

/* The whole document; server_url is its servers[0] ("/" when NULL or
 * empty). New reference. */
json_t *openapi_doc(const char *server_url);

#endif
