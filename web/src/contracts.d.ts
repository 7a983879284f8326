// Contract metadata (live_token.json), bundled from the contract build (see vite.config.ts).
declare module '@contracts/*.json' {
  const metadata: Record<string, unknown>;
  export default metadata;
}
