/* tests/unit/test_sweep_cells.c — the two pure pieces of a sweep's bookkeeping: the shard
 * partition (every cell in exactly one shard, for N = 1..7 and grids of 1..50 cells) and the
 * cell hash (FNV-1a 64 against its published test vectors, and sensitivity to one byte). */
#include "tc_test.h"

#include <string.h>

#include "harness/sweep.h"

static void shards_partition_the_cells(void **state)
{
    (void)state;
    for (size_t n = 1; n <= 7; n++)
        for (size_t ncells = 1; ncells <= 50; ncells++)
            for (size_t c = 0; c < ncells; c++) {
                size_t owners = 0;
                for (size_t k = 1; k <= n; k++)
                    owners += hx_sweep_in_shard(c, k, n);
                if (owners != 1) {
                    print_error("cell %zu of %zu: %zu shards of %zu run it\n", c, ncells, owners, n);
                    fail();
                }
            }
    assert_true(hx_sweep_in_shard(41, 0, 0)); /* no sharding: every cell */
}

/* Test vectors of FNV-1a 64 (Fowler, Noll, Vo; the reference list of the draft RFC). */
static void hash_is_fnv1a(void **state)
{
    (void)state;
    assert_true(hx_sweep_hash("", 0) == 0xcbf29ce484222325ull);
    assert_true(hx_sweep_hash("a", 1) == 0xaf63dc4c8601ec8cull);
    assert_true(hx_sweep_hash("foobar", 6) == 0x85944171f73967e8ull);
    const char *k1 = "claim=max_margin\nseed=1\nparam n=12\n";
    const char *k2 = "claim=max_margin\nseed=1\nparam n=13\n";
    assert_true(hx_sweep_hash(k1, strlen(k1)) != hx_sweep_hash(k2, strlen(k2)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shards_partition_the_cells),
        cmocka_unit_test(hash_is_fnv1a),
    };
    return TC_RUN("harness/sweep", tests);
}
