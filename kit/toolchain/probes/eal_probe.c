/* SPDX-License-Identifier: BSD-3-Clause
 *
 * Starts the real EAL with the arguments it is given, reports what `kit doctor` needs to know
 * (the mempool ops table after the default plugins loaded) and shuts the EAL down again.
 * Output is one "key value" pair per line so the Python side can parse it without guessing.
 */
#include <stdio.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mempool.h>
#include <rte_version.h>

int
main(int argc, char **argv)
{
	unsigned int i;

	if (rte_eal_init(argc, argv) < 0) {
		printf("eal_init_failed %s\n", rte_strerror(rte_errno));
		return 1;
	}
	printf("version %s\n", rte_version());
	printf("ops_max %d\n", RTE_MEMPOOL_MAX_OPS_IDX);
	printf("ops_used %u\n", rte_mempool_ops_table.num_ops);
	for (i = 0; i < rte_mempool_ops_table.num_ops; i++)
		printf("ops_name %s\n", rte_mempool_ops_table.ops[i].name);
	fflush(stdout);
	rte_eal_cleanup();
	return 0;
}
