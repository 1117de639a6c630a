/* Unit tests of src/sim/limits.c: throughput window, pair token bucket, service window. */
#include <criterion/criterion.h>

#include "laris/sim.h"

Test(limits, throughput_allows_limit_per_second)
{
    laris_sim_rate_t r = {0};
    for (int i = 0; i < 80; i++)
        cr_assert(laris_sim_rate_take(&r, 10000 + i, 80));
    cr_assert_not(laris_sim_rate_take(&r, 10500, 80));
    cr_assert(laris_sim_rate_take(&r, 11000, 80), "a new second starts");
    cr_assert(laris_sim_rate_take(&r, 11001, 0), "0 is unlimited");
}

Test(limits, pair_bucket_bursts_then_refills_one_per_interval)
{
    laris_sim_bucket_t b = {0};
    for (int i = 0; i < 45; i++)
        cr_assert(laris_sim_bucket_take(&b, 1000, 45, 6000));
    cr_assert_not(laris_sim_bucket_take(&b, 1000, 45, 6000));
    cr_assert_not(laris_sim_bucket_take(&b, 6999, 45, 6000));
    cr_assert(laris_sim_bucket_take(&b, 7000, 45, 6000));
    cr_assert_not(laris_sim_bucket_take(&b, 7001, 45, 6000));
}

Test(limits, window_lasts_24_hours_from_the_last_inbound)
{
    int64_t day = (int64_t)24 * 3600 * 1000;
    cr_assert_not(laris_sim_window_open(0, 5000));
    cr_assert(laris_sim_window_open(1000, 1000));
    cr_assert(laris_sim_window_open(1000, 1000 + day - 1));
    cr_assert_not(laris_sim_window_open(1000, 1000 + day));
}
