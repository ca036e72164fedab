/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * PCI front end: the bus maps BAR0 (NEED_MAPPING) and the core drives it.
 * The id table, its export and the kernel module dependency live in this
 * one file, where the PMD info generator looks for them.
 */

#include <errno.h>

#include <bus_pci_driver.h>
#include <ethdev_pci.h>

#include "{{ cookiecutter.name }}.h"

static const struct rte_pci_id {{ cookiecutter.name }}_pci_id_map[] = {
{% if cookiecutter.vendor_id == "0x1234" and cookiecutter.device_id == "0x1001" %}	/* Corundum's default id, used by its reference designs. */
	{ RTE_PCI_DEVICE(0x1234, 0x1001) },
	/* Also listed by Corundum's Linux driver. */
	{ RTE_PCI_DEVICE(0x5543, 0x1001) },
{% else %}	/* The device's vendor and device id. */
	{ RTE_PCI_DEVICE({{ cookiecutter.vendor_id }}, {{ cookiecutter.device_id }}) },
{% endif %}	{ .vendor_id = 0 },
};

static int
{{ cookiecutter.name }}_pci_dev_init(struct rte_eth_dev *dev)
{
	struct rte_pci_device *pci_dev = RTE_ETH_DEV_TO_PCI(dev);

	if (unlikely(pci_dev->mem_resource[0].addr == NULL ||
			pci_dev->mem_resource[0].len < {{ cookiecutter.macro }}_BAR0_SIZE)) {
		PMD_LOG(ERR, "%s: BAR0 missing or smaller than 0x%x",
			pci_dev->device.name, {{ cookiecutter.macro }}_BAR0_SIZE);
		return -ENODEV;
	}
	return {{ cookiecutter.name }}_dev_init(dev, pci_dev->mem_resource[0].addr);
}

static int
{{ cookiecutter.name }}_pci_probe(struct rte_pci_driver *drv __rte_unused,
	struct rte_pci_device *pci_dev)
{
	return rte_eth_dev_pci_generic_probe(pci_dev,
		sizeof(struct {{ cookiecutter.name }}_priv), {{ cookiecutter.name }}_pci_dev_init);
}

static int
{{ cookiecutter.name }}_pci_remove(struct rte_pci_device *pci_dev)
{
	return rte_eth_dev_pci_generic_remove(pci_dev, {{ cookiecutter.name }}_dev_uninit);
}

static struct rte_pci_driver {{ cookiecutter.name }}_pci_driver = {
	.id_table = {{ cookiecutter.name }}_pci_id_map,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING,
	.probe = {{ cookiecutter.name }}_pci_probe,
	.remove = {{ cookiecutter.name }}_pci_remove,
};

RTE_PMD_REGISTER_PCI(net_{{ cookiecutter.name }}, {{ cookiecutter.name }}_pci_driver);
RTE_PMD_REGISTER_PCI_TABLE(net_{{ cookiecutter.name }}, {{ cookiecutter.name }}_pci_id_map);
RTE_PMD_REGISTER_KMOD_DEP(net_{{ cookiecutter.name }}, "* igb_uio | uio_pci_generic | vfio-pci");
