/* Unit tests of src/sim/wamid.c: Meta-shaped, decodable and unique message ids. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>

#include "laris/sim.h"

TestSuite(wamid, .init = NULL);

Test(wamid, has_metas_shape_and_carries_the_wa_id)
{
    cr_assert(sodium_init() >= 0);
    char id[LARIS_SIM_WAMID_MAX];
    laris_sim_wamid_new("6281234567890", id);
    cr_assert_eq(strncmp(id, "wamid.HBg", 9), 0, "%s", id);
    cr_assert(strlen(id) > 40 && strlen(id) < LARIS_SIM_WAMID_MAX, "%s", id);
    char wa_id[24];
    cr_assert(laris_sim_wamid_wa_id(id, wa_id, sizeof(wa_id)));
    cr_assert_str_eq(wa_id, "6281234567890");
}

Test(wamid, decodes_metas_own_example)
{
    char wa_id[24];
    cr_assert(laris_sim_wamid_wa_id(
        "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", wa_id, sizeof(wa_id)));
    cr_assert_str_eq(wa_id, "16503879439");
}

Test(wamid, refuses_other_strings)
{
    char wa_id[24];
    cr_assert_not(laris_sim_wamid_wa_id("wamid.!!!", wa_id, sizeof(wa_id)));
    cr_assert_not(laris_sim_wamid_wa_id("HBgLMTY1MDM4Nzk0Mzk=", wa_id, sizeof(wa_id)));
    cr_assert_not(laris_sim_wamid_wa_id("wamid.AAAA", wa_id, sizeof(wa_id)));
}

Test(wamid, never_repeats)
{
    cr_assert(sodium_init() >= 0);
    enum { N = 2000 };
    static char ids[N][LARIS_SIM_WAMID_MAX];
    for (int i = 0; i < N; i++)
        laris_sim_wamid_new("6281234567890", ids[i]);
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            cr_assert_str_neq(ids[i], ids[j]);
}
