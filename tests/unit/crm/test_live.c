/* Unit tests for src/crm/live.c: who may listen on which nchan channel. The same rule through
 * nginx and laris-api is covered by tests/integration/test_live.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "laris/crm.h"

static laris_ctx_t person(int64_t tenant, int64_t user)
{
    laris_ctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.tenant_id = tenant;
    ctx.user_id = user;
    ctx.role = LARIS_ROLE_AGENT;
    return ctx;
}

Test(live, own_channels)
{
    laris_ctx_t ctx = person(3, 12);
    cr_assert(laris_live_may_subscribe(&ctx, "/rt/sub/agent/12"));
    cr_assert(laris_live_may_subscribe(&ctx, "/rt/sub/tenant/3"));
}

Test(live, other_channels)
{
    laris_ctx_t ctx = person(3, 12);
    cr_assert_not(laris_live_may_subscribe(&ctx, "/rt/sub/agent/13"));
    cr_assert_not(laris_live_may_subscribe(&ctx, "/rt/sub/agent/3"));
    cr_assert_not(laris_live_may_subscribe(&ctx, "/rt/sub/tenant/12"));
    cr_assert_not(laris_live_may_subscribe(&ctx, "/rt/sub/tenant/4"));
}

Test(live, other_spellings)
{
    laris_ctx_t ctx = person(3, 12);
    static const char *const paths[] = {
        "/rt/sub/tenant/03",
        "/rt/sub/tenant/3?x=1",
        "/rt/sub/tenant/3/",
        "/rt/sub/tenant/+3",
        "/rt/sub/tenant/ 3",
        "/rt/sub/tenant/3 ",
        "/rt/sub/tenant/",
        "/rt/sub/tenant",
        "/rt/sub/agent/12/x",
        "/rt/sub/Agent/12",
        "/rt/sub//agent/12",
        "/rt/sub/tenant/3%00",
        "/rt/pub/tenant/3",
        "/rt/sub/everyone/3",
        "rt/sub/tenant/3",
        "",
        "/rt/sub/tenant/1000000000000000003",
        "/rt/sub/agent/12\n",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        cr_assert_not(laris_live_may_subscribe(&ctx, paths[i]), "%s", paths[i]);
    cr_assert_not(laris_live_may_subscribe(&ctx, NULL));
}

Test(live, nobody)
{
    laris_ctx_t ctx = person(0, 0);
    cr_assert_not(laris_live_may_subscribe(&ctx, "/rt/sub/tenant/0"));
    cr_assert_not(laris_live_may_subscribe(&ctx, "/rt/sub/agent/0"));
}
