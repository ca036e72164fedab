/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

#ifndef {{ cookiecutter.macro }}_LOG_H
#define {{ cookiecutter.macro }}_LOG_H

#include <rte_log.h>

/* One log type for the PMD and the model; its name comes from the build. */
extern int {{ cookiecutter.name }}_logtype;

#define PMD_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, {{ cookiecutter.name }}_logtype, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#endif /* {{ cookiecutter.macro }}_LOG_H */
