// Which flannel release a manifest deploys, read from the flanneld image tag, and what that release
// supports (flannel-versions.md §1, §2, §6). Behaviour changed between releases (backends removed, the
// podCIDR containment check added), so a manifest pinned to an old image is judged by that image.

export interface FlannelVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** A tag suffix that no upstream release uses (`v0.9.0-txvpc`): a fork, which may behave differently. */
  readonly fork?: string;
  /** The image reference the version was read from. */
  readonly image: string;
}

type Release = readonly [major: number, minor: number, patch: number];

// Suffixes upstream tags carry: per-arch images (v0.10.0-amd64), release candidates, git describe of
// flannel-git builds (v0.6.1-28-g5dde68d) and the special v0.14.0-dual-stack tag.
const UPSTREAM_SUFFIX = /^(?:(?:amd64|arm|arm64|ppc64le|s390x|mips64le|rc\d*|\d+-g[0-9a-f]+|dual-stack)(?:-|$))+$/i;

/**
 * The flannel version of an image reference such as `quay.io/coreos/flannel:v0.10.0-amd64`,
 * `registry.example.com/flannel:0.7.0` or `…/flannel:v0.17.0@sha256:…`; undefined when the tag names no
 * version (`latest`, a bare digest, no tag), which callers treat as the newest release.
 */
export function parseFlannelImage(image: string): FlannelVersion | undefined {
  const reference = image.trim().split('@')[0];
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon <= lastSlash) return undefined;
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+](.+))?$/.exec(reference.slice(colon + 1));
  if (!match) return undefined;
  const suffix = match[4];
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? 0),
    ...(suffix && !UPSTREAM_SUFFIX.test(suffix) ? { fork: suffix } : {}),
    image,
  };
}

export function formatRelease([major, minor, patch]: Release): string {
  return `v${major}.${minor}.${patch}`;
}

export function formatVersion(version: FlannelVersion): string {
  return formatRelease([version.major, version.minor, version.patch]);
}

/** Whether the version is at least the release; an unknown version (undefined) is the newest. */
export function isAtLeast(version: FlannelVersion | undefined, release: Release): boolean {
  if (!version) return true;
  const own = [version.major, version.minor, version.patch];
  for (let i = 0; i < 3; i++) if (own[i] !== release[i]) return own[i] > release[i];
  return true;
}

/** Backends that not every release registers (flannel-versions.md §1); the others exist in all of them. */
const BACKEND_WINDOWS: Record<string, { since?: Release; removed?: Release }> = {
  ipip: { since: [0, 10, 0] },
  ipsec: { since: [0, 11, 0] },
  'tencent-vpc': { since: [0, 14, 0] },
  wireguard: { since: [0, 16, 0] },
  // Registered from before v0.9.0 (the oldest release the table covers) until v0.20.0.
  'ali-vpc': { removed: [0, 20, 0] },
  'aws-vpc': { removed: [0, 20, 0] },
  gce: { removed: [0, 20, 0] },
};

export type BackendAvailability =
  | { readonly state: 'registered' }
  | { readonly state: 'not-yet'; readonly since: string }
  | { readonly state: 'removed'; readonly removed: string }
  | { readonly state: 'unknown' };

/** Whether the release registers a backend type (lowercased); `known` lists the types of the newest release. */
export function backendAvailability(
  type: string,
  version: FlannelVersion | undefined,
  known: readonly string[],
): BackendAvailability {
  const window = BACKEND_WINDOWS[type];
  if (window?.since && !isAtLeast(version, window.since))
    return { state: 'not-yet', since: formatRelease(window.since) };
  if (window?.removed && isAtLeast(version, window.removed)) {
    return { state: 'removed', removed: formatRelease(window.removed) };
  }
  return window || known.includes(type) ? { state: 'registered' } : { state: 'unknown' };
}

/** flanneld exits when Network does not contain a node's podCIDR from this release (flannel-versions.md §2). */
export const PODCIDR_CHECK_SINCE: Release = [0, 18, 0];

/** net-conf.json keys that not every release reads (flannel-versions.md §2), by lowercased key. */
const KEY_WINDOWS: Record<string, { since: Release; discarded?: Release; removed?: Release }> = {
  enableipv4: { since: [0, 15, 0] },
  enableipv6: { since: [0, 15, 0] },
  ipv6network: { since: [0, 15, 0] },
  ipv6subnetlen: { since: [0, 15, 0] },
  ipv6subnetmin: { since: [0, 15, 0] },
  ipv6subnetmax: { since: [0, 15, 0] },
  enablenftables: { since: [0, 25, 0] },
  // Multi-CIDR: honoured in v0.20.x, parsed then reset from v0.21.0, gone from v0.25.0.
  networks: { since: [0, 20, 0], discarded: [0, 21, 0], removed: [0, 25, 0] },
  ipv6networks: { since: [0, 20, 0], discarded: [0, 21, 0], removed: [0, 25, 0] },
};

export type KeyAvailability =
  { readonly state: 'read' } | { readonly state: 'not-yet' | 'discarded' | 'removed'; readonly release: string };

/** Whether the release reads a net-conf.json key; keys without a window are read by every release. */
export function netConfKeyAvailability(key: string, version: FlannelVersion | undefined): KeyAvailability {
  const window = KEY_WINDOWS[key.toLowerCase()];
  if (!window) return { state: 'read' };
  if (!isAtLeast(version, window.since)) return { state: 'not-yet', release: formatRelease(window.since) };
  if (window.removed && isAtLeast(version, window.removed)) {
    return { state: 'removed', release: formatRelease(window.removed) };
  }
  if (window.discarded && isAtLeast(version, window.discarded)) {
    return { state: 'discarded', release: formatRelease(window.discarded) };
  }
  return { state: 'read' };
}
