// Runs `action` once, `delayMs` after the last call: typing bursts cause one analysis, not one per key.
export function debounce(action: () => void, delayMs: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      action();
    }, delayMs);
  };
}
