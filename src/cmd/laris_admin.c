/* laris-admin: operator commands — migrate the database, seed the demo business. */
#include <stdio.h>
#include <string.h>

#include "laris/config.h"
#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/json.h"
#include "laris/log.h"

#define DEMO_EMAIL    "demo@laris.id"
#define DEMO_PASSWORD "laris-demo-2026"

static int usage(void)
{
    fputs("usage: laris-admin <command>\n"
          "  migrate     apply the database migrations (LARIS_DATABASE_OWNER_URL)\n"
          "  seed-demo   create the demo business and its team once (DATABASE_URL)\n",
          stderr);
    return 2;
}

static int fail(const laris_err_t *err)
{
    fprintf(stderr, "laris-admin: %s%s%s\n", laris_rc_title(err->code), err->detail ? ": " : "",
            err->detail ? err->detail : "");
    for (size_t i = 0; i < err->nfields; i++)
        fprintf(stderr, "  %s %s\n", err->fields[i].field, err->fields[i].message);
    return 1;
}

static int migrate(laris_arena_t *a, const laris_config_t *cfg)
{
    laris_err_t err;
    laris_err_init(&err, a);
    laris_db_t *db = laris_db_create(cfg->database_owner_url);
    laris_rc rc = laris_db_migrate(db, &err);
    laris_db_destroy(db);
    return rc == LARIS_OK ? 0 : fail(&err);
}

static void print_demo_login(void)
{
    printf("Demo business: Toko Berkah Jaya\n"
           "  owner:      %s / %s\n"
           "  supervisor: budi@laris.id / %s\n"
           "  agent:      sari@laris.id / %s\n",
           DEMO_EMAIL, DEMO_PASSWORD, DEMO_PASSWORD, DEMO_PASSWORD);
}

static laris_rc add_member(laris_ctx_t *ctx, const char *email, const char *name, const char *role)
{
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", name, "password",
                             DEMO_PASSWORD, "role", role);
    json_t *user = NULL;
    laris_rc rc = laris_users_create(ctx, body, &user);
    json_decref(body);
    json_decref(user);
    return rc;
}

/* Creates the demo tenant, owner, a supervisor and an agent in one transaction, once. */
static int seed_demo(laris_arena_t *a, const laris_config_t *cfg)
{
    laris_err_t err;
    laris_err_init(&err, a);
    laris_ctx_t ctx = {
        .arena = a,
        .db = laris_db_create(cfg->database_url),
        .kv = laris_kv_create(cfg->redis_url),
        .err = &err,
        .config = cfg,
        .request_id = "laris-admin",
        .client_addr = "laris-admin",
    };
    const char *params[1] = {DEMO_EMAIL};
    PGresult *res;
    laris_rc rc = laris_db_query(ctx.db, a, LARIS_SQL_AUTH_FIND_LOGIN, 1, params, &res, &err);
    bool exists = rc == LARIS_OK && PQntuples(res) == 1;
    if (rc == LARIS_OK && !exists) {
        laris_signup_t in = {
            .business_name = "Toko Berkah Jaya",
            .owner_name = "Dewi Lestari",
            .email = DEMO_EMAIL,
            .password = DEMO_PASSWORD,
            .phone = "0812-3456-7890",
            .timezone = "Asia/Jakarta",
        };
        rc = laris_tenant_signup(&ctx, &in);
        if (rc == LARIS_OK)
            rc = add_member(&ctx, "budi@laris.id", "Budi Santoso", "supervisor");
        if (rc == LARIS_OK)
            rc = add_member(&ctx, "sari@laris.id", "Sari Wulandari", "agent");
    }
    laris_err_t finish_err;
    laris_err_init(&finish_err, a);
    laris_rc finish_rc = laris_db_finish(ctx.db, rc == LARIS_OK, &finish_err);
    laris_db_destroy(ctx.db);
    laris_kv_destroy(ctx.kv);
    if (rc != LARIS_OK)
        return fail(&err);
    if (finish_rc != LARIS_OK)
        return fail(&finish_err);
    printf(exists ? "The demo business already exists.\n" : "Seeded the demo business.\n");
    print_demo_login();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return usage();
    const laris_config_t *cfg = laris_config_load();
    laris_log_setup("laris-admin", laris_log_level_parse(cfg->log_level));
    if (!laris_crypto_init()) {
        fputs("laris-admin: libsodium failed to initialize\n", stderr);
        return 1;
    }
    laris_arena_t *a = laris_arena_create((size_t)64 * 1024);
    int status;
    if (strcmp(argv[1], "migrate") == 0)
        status = migrate(a, cfg);
    else if (strcmp(argv[1], "seed-demo") == 0)
        status = seed_demo(a, cfg);
    else
        status = usage();
    laris_arena_destroy(a);
    return status;
}
