// How each CNI picks the node's NIC, for every place that prints an assumed NIC name (hovers, tools,
// paths). No imports: tools.ts and the data planes both read it.

/** The clause saying how the CNI chooses its interface, by the topology's `cni`. */
export function nicChoice(cni: string): string {
  switch (cni) {
    case 'calico':
      return (
        'calico-node uses the interface holding the node IP it autodetects (first-found unless ' +
        'IP_AUTODETECTION_METHOD says otherwise)'
      );
    case 'unknown':
      return 'the CNI is unknown, so nothing tells which interface carries pod traffic';
    default:
      // flannel, and Canal, whose flanneld takes canal_iface as --iface.
      return 'flanneld uses the interface of the default route unless --iface is set';
  }
}
