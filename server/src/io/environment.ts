// `process.env` is backed by the C++ environment: every read of it is a call into the runtime. The
// `yaml` parser reads `process.env.LOG_TOKENS` once per token and `LOG_STREAM` once per document, which
// costs about a sixth of its parse time. The server and the CLI never change their environment while
// they run, so a plain copy taken at start-up answers those reads as ordinary property lookups.
export function useEnvironmentSnapshot(): void {
  process.env = { ...process.env };
}
