// "Did you mean": the closest candidate by edit distance, case-insensitively, when it is close enough
// to be a likely typo. Swapped neighbours count as one edit, the commonest typo in names like worker233.

export function editDistance(a: string, b: string): number {
  // One flat table, row i at i * width: a typo of one nodeName is matched against every node per edit.
  const width = b.length + 1;
  const d = new Int32Array((a.length + 1) * width);
  for (let j = 1; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = i * width;
    d[row] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[row - width + j] + 1, d[row + j - 1] + 1, d[row - width + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[row - 2 * width + j - 2] + 1);
      d[row + j] = best;
    }
  }
  return d[a.length * width + b.length];
}

export function closestMatch(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const limit = maxDistance ?? Math.max(1, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    // The distance is at least the difference in length: such a candidate cannot win.
    const gap = Math.abs(other.length - lower.length);
    if (gap > limit || gap >= bestDistance) continue;
    const distance = editDistance(lower, other);
    if (distance < bestDistance && distance <= limit) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
