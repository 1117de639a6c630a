/* The fixture shared by the service-hours integration tests (service_fixture.c). */
#ifndef LARIS_ITEST_SERVICE_FIXTURE_H
#define LARIS_ITEST_SERVICE_FIXTURE_H

#include <libpq-fe.h>

#include "client.h"

typedef struct {
    PGconn *conn;          /* as the superuser */
    itest_client_t *owner; /* the tenant owner's session */
    itest_user_t owner_user;
    char pnid[20]; /* the number's phone_number_id, known to laris-sim */
} itest_service_t;

/* A new tenant with a number laris-sim knows; laris-sim's webhooks go to this stack. */
void itest_service_setup(itest_service_t *s);
void itest_service_teardown(itest_service_t *s);

/* A new customer's wa_id (628 and 9 random digits). */
void itest_service_new_customer(char out[20]);

/* The customer writes text to the number; returns once Laris stored it. */
void itest_service_customer_writes(const itest_service_t *s, const char *customer,
                                   const char *text);

#endif
