/* The route table type and path matching with {name} parameters. */
#ifndef LARIS_ROUTER_H
#define LARIS_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "laris/arena.h"
#include "laris/err.h"

typedef struct laris_req_s laris_req_t;

/* Every handler has this signature; it fills the response or returns an error code with
 * details in req->err (the HTTP layer turns that into problem+json). */
typedef laris_rc (*laris_handler_fn)(laris_req_t *req);

/* One route. Tables end with an entry whose method is NULL. auth and min_role are the
 * application's own values (see api/routes.c); the HTTP layer only carries them. */
typedef struct {
    const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern; /* "/api/v1/users/{id}": a {name} segment matches one path segment */
    laris_handler_fn handler;
    int auth;
    int min_role;
    size_t body_limit; /* bytes; 0 means the configured default */
} laris_route_t;

#define LARIS_ROUTE_MAX_PARAMS 8

typedef struct {
    const char *name;
    const char *value;
} laris_pair_t;

typedef struct {
    const laris_route_t *route; /* NULL when nothing matched */
    bool path_matched;          /* some route has this path but another method: 405 */
    char allow[48];             /* those other methods, for the Allow header ("GET, PATCH") */
    size_t nparams;
    laris_pair_t params[LARIS_ROUTE_MAX_PARAMS];
} laris_route_match_t;

/* Finds the route for method and path (no query string). Parameter values are copied into the
 * arena. A segment is at most 256 bytes; empty segments never match a parameter. */
void laris_router_match(const laris_route_t *table, const char *method, const char *path,
                        laris_arena_t *a, laris_route_match_t *out);

#endif
