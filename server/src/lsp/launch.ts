// How the language server process is started: the extension forks it with these Node options, and the
// benchmark and the LSP tests start it the same way, so that what they measure is what editors run.
//
// The young generation may grow to 32 MB per semi-space (Node's default stops at 16 MB). A topology of
// 5,000 pods is built and encoded in one go, and everything it builds stays alive until it is sent: with
// the default, every few milliseconds a scavenge copied the half-built model again, and the request after
// an edit took 266 ms (median of 3 runs of `npm run bench -- --case workloads`); with 32 MB, 220 ms. The
// price is memory: the peak RSS of the 5,000-Pod run rose from about 205 MB to 233 MB.
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=32'];
