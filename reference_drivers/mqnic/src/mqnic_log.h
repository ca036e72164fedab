/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

#ifndef MQNIC_LOG_H
#define MQNIC_LOG_H

#include <rte_log.h>

/* One log type for the PMD and the model; its name comes from the build. */
extern int mqnic_logtype;

#define PMD_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, mqnic_logtype, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#endif /* MQNIC_LOG_H */
