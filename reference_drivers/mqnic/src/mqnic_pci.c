/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-kit authors
 */

/*
 * PCI front end: the bus maps BAR0 (NEED_MAPPING) and the core drives it.
 * The id table, its export and the kernel module dependency live in this
 * one file, where the PMD info generator looks for them.
 */

#include <errno.h>

#include <bus_pci_driver.h>
#include <ethdev_pci.h>

#include "mqnic.h"

static const struct rte_pci_id mqnic_pci_id_map[] = {
	/* Corundum's default id, used by its reference designs. */
	{ RTE_PCI_DEVICE(0x1234, 0x1001) },
	/* Also listed by Corundum's Linux driver. */
	{ RTE_PCI_DEVICE(0x5543, 0x1001) },
	{ .vendor_id = 0 },
};

static int
mqnic_pci_dev_init(struct rte_eth_dev *dev)
{
	struct rte_pci_device *pci_dev = RTE_ETH_DEV_TO_PCI(dev);

	if (unlikely(pci_dev->mem_resource[0].addr == NULL ||
			pci_dev->mem_resource[0].len < MQNIC_BAR0_SIZE)) {
		PMD_LOG(ERR, "%s: BAR0 missing or smaller than 0x%x",
			pci_dev->device.name, MQNIC_BAR0_SIZE);
		return -ENODEV;
	}
	return mqnic_dev_init(dev, pci_dev->mem_resource[0].addr);
}

static int
mqnic_pci_probe(struct rte_pci_driver *drv __rte_unused,
	struct rte_pci_device *pci_dev)
{
	return rte_eth_dev_pci_generic_probe(pci_dev,
		sizeof(struct mqnic_priv), mqnic_pci_dev_init);
}

static int
mqnic_pci_remove(struct rte_pci_device *pci_dev)
{
	return rte_eth_dev_pci_generic_remove(pci_dev, mqnic_dev_uninit);
}

static struct rte_pci_driver mqnic_pci_driver = {
	.id_table = mqnic_pci_id_map,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING,
	.probe = mqnic_pci_probe,
	.remove = mqnic_pci_remove,
};

RTE_PMD_REGISTER_PCI(net_mqnic, mqnic_pci_driver);
RTE_PMD_REGISTER_PCI_TABLE(net_mqnic, mqnic_pci_id_map);
RTE_PMD_REGISTER_KMOD_DEP(net_mqnic, "* igb_uio | uio_pci_generic | vfio-pci");
