// `podnet` on the command line: the same engine as the editor, for CI and for people at a terminal.
import { useEnvironmentSnapshot } from '../io/environment';
import { runCheck } from './check';
import { UsageError } from './load';
import { runNode, runPath, runTopology } from './topology';

const USAGE = `Usage:
  podnet check    [paths…] [--format text|json|sarif] [--rule <id>=<off|error|warning|information|hint>]…
                  [--explain-clusters]
  podnet topology [paths…] [--format json|svg|html] [--cluster <name>]
  podnet path     [paths…] --from <pod> --to <pod> [--format text|json|traceroute] [--cluster <name>]
  podnet node     [paths…] --node <name> [--show ip-addr|ip-route|route-n|ip-neigh|bridge-fdb|brctl] [--cluster <name>]

Reads the Kubernetes manifests below the given files and folders (default: the current folder);
- reads them from standard input (helm template … | podnet check -), named after Helm's # Source: comments.
Files are grouped into clusters by folder (the nearest folder above holding CNI configuration), or as
.podnet.yaml names them (the nearest one at or above the paths, up to the repository root).
check:    prints diagnostics; exits 1 when any error is found, 0 otherwise. --explain-clusters first prints
          each cluster, why its root is its root, and why each file joined it (with json: {clusters, diagnostics}).
topology: what the CNI builds on each node (devices, addresses, routes) as JSON, SVG or one HTML page.
path:     the hops a packet takes from one pod to another (pods as name or namespace/name);
          --format traceroute: what traceroute in the source pod would print (predicted addresses, no times).
node:     predicted output of ip -c a, ip route, route -n, ip neigh, bridge fdb and brctl show on a node.
Every command takes --cni auto|flannel|calico|canal: the CNI the clusters run (default auto: detected from
the manifests; a name wins over detection and over .podnet.yaml's cni:).
Bad usage exits 2.`;

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, out, err);
      case 'topology':
        return await runTopology(rest, out);
      case 'path':
        return await runPath(rest, out);
      case 'node':
        return await runNode(rest, out);
      case '--help':
      case '-h':
      case 'help':
        out(USAGE + '\n');
        return 0;
      default:
        err(command ? `podnet: unknown command "${command}"\n\n${USAGE}\n` : `${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`podnet: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  useEnvironmentSnapshot();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`podnet: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
