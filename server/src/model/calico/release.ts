// Which Calico release a cluster runs, where behaviour changed between releases (calico.md: "key it off the
// calico/node image tag"), and who programs block routes. One place, so the topology, hovers and rules agree.
import { type CalicoNetwork } from './model';

/** The newest release calico.md was checked against (v3.32.1): what an install that shows no tag deploys. */
export const NEWEST_CALICO_RELEASE: readonly [number, number] = [3, 32];

/** The first release where Felix, not BIRD, programs IPIP routes (`proto 80` instead of `proto bird`). */
const FELIX_IPIP_ROUTES: readonly [number, number] = [3, 33];

/** `3.28.1` → [3, 28]; undefined when the tag is no release number (or none is visible). */
export function releaseOf(version: string | undefined): [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const before = (a: readonly [number, number], b: readonly [number, number]) =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/**
 * Whether Felix programs IPIP routes (`proto 80`): as a setting says (clusterRoutingMode,
 * programClusterRoutes), else from 3.33; a version not shown is taken as the newest release.
 */
export function felixProgramsIpipRoutes(calico: Pick<CalicoNetwork, 'version' | 'clusterRoutes'>): boolean {
  const routes = calico.clusterRoutes?.value;
  if (routes) return routes !== 'bird';
  return !before(releaseOf(calico.version) ?? NEWEST_CALICO_RELEASE, FELIX_IPIP_ROUTES);
}

/** Whether Felix programs unencapsulated pools' routes: only when a setting says `Felix`/`Enabled`. */
export const felixProgramsDirectRoutes = (calico: Pick<CalicoNetwork, 'clusterRoutes'>): boolean =>
  calico.clusterRoutes?.value === 'felix';

/** Whether the release is known and older than `major.minor`: rules say nothing when it is not known. */
export function releaseKnownBefore(version: string | undefined, major: number, minor: number): boolean {
  const release = releaseOf(version);
  return release !== undefined && before(release, [major, minor]);
}
