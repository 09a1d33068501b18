// Runs `action` once after the events already queued: several changes that arrive together cause one
// analysis, and a single change is analysed without waiting for a timer.
export function coalesce(action: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      action();
    });
  };
}
