// The CNI versions the flannel plugin accepts (flannel.md §4.1), and the one a mistyped version meant.
import { closestMatch } from '../core/suggest';

/** `cni.All` of the flannel plugin (and of bridge, host-local, portmap): matched by exact string equality. */
export const CNI_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'];

/** The supported version a mistyped one most likely meant: "1.0" → 1.0.0, "0.3" → 0.3.1, "v0.4.0" → 0.4.0. */
export function suggestCniVersion(written: string): string | undefined {
  const text = written.trim().replace(/^v/i, '');
  if (CNI_VERSIONS.includes(text)) return text;
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text);
  if (match) {
    const [major, minor, patch] = [match[1], match[2], match[3]].map((part) =>
      part === undefined ? undefined : Number(part),
    );
    const parsed = CNI_VERSIONS.map((v) => ({ v, parts: v.split('.').map(Number) }));
    const sameMajor = parsed.filter((c) => c.parts[0] === major);
    if (minor === undefined) return sameMajor.find((c) => c.parts[1] === 0)?.v ?? sameMajor[sameMajor.length - 1]?.v;
    const sameMinor = sameMajor.filter((c) => c.parts[1] === minor);
    const notAbove = (list: typeof parsed, limit: number, index: number) =>
      list.filter((c) => c.parts[index] <= limit).pop();
    if (sameMinor.length > 0)
      return (patch === undefined ? sameMinor[sameMinor.length - 1] : (notAbove(sameMinor, patch, 2) ?? sameMinor[0]))
        .v;
    const lower = notAbove(sameMajor, minor, 1);
    if (lower) return lower.v;
  }
  return closestMatch(text, CNI_VERSIONS, 1);
}
