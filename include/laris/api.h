/* The HTTP API of laris-api: its route table and the application the HTTP layer serves. */
#ifndef LARIS_API_H
#define LARIS_API_H

#include "laris/http.h"

/* The application: routes, per-request handling (auth, roles, CSRF, one transaction per
 * request) and the per-worker connections. */
const laris_http_app_t *laris_api_app(void);

#endif
