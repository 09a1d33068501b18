// How the language server process is started: the extension forks it with these Node options, and the
// benchmark and the LSP tests start it the same way, so that what they measure is what editors run.
//
// The young generation may grow to 24 MB per semi-space (Node's default stops at 16 MB). A topology of
// 5,000 pods is built and encoded in one go, and everything it builds stays alive until it is sent: with
// the default, scavenges kept copying the half-built model. Runs of `npm run bench -- --case workloads
// --runs 3` and `--sizes 5000x50` on 2026-12-02 (2 cores): the topology request after an edit took 230 ms
// at 16 MB, 193 ms at 24 MB and about the same at 32 MB; the 5,000-Pod file's peak RSS was 195, 229 and
// 245 MB (the target is 250 MB). 24 MB buys most of the speed for half the memory.
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=24'];
