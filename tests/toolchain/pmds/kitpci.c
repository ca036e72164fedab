/* A PCI PMD that only registers: id table (ends with a zero vendor) and kernel module dependency. */
#include <rte_common.h>
#include <bus_pci_driver.h>

static const struct rte_pci_id kitpci_ids[] = {
	{ RTE_PCI_DEVICE(0x1234, 0x1001) },
	{ RTE_PCI_DEVICE(0x1234, 0x1002) },
	{ .vendor_id = 0 },
};

static int
kitpci_probe(struct rte_pci_driver *drv __rte_unused, struct rte_pci_device *dev __rte_unused)
{
	return 0;
}

static int
kitpci_remove(struct rte_pci_device *dev __rte_unused)
{
	return 0;
}

static struct rte_pci_driver kitpci_drv = {
	.id_table = kitpci_ids,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING,
	.probe = kitpci_probe,
	.remove = kitpci_remove,
};

RTE_PMD_REGISTER_PCI(net_kitpci, kitpci_drv);
RTE_PMD_REGISTER_PCI_TABLE(net_kitpci, kitpci_ids);
RTE_PMD_REGISTER_KMOD_DEP(net_kitpci, "* igb_uio | uio_pci_generic | vfio-pci");
