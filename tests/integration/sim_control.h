/* laris-sim's control API (/_sim/...) for the integration tests that drive it. */
#ifndef ITEST_SIM_CONTROL_H
#define ITEST_SIM_CONTROL_H

#include <jansson.h>

/* A request to laris-sim ($LARIS_SIM_URL) at path with an optional JSON body (taken over);
 * returns the parsed answer (caller releases; NULL when not JSON) and sets *status. Fails the
 * test when laris-sim does not answer. */
json_t *itest_sim(const char *method, const char *path, json_t *body, long *status);

#endif
