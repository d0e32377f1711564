/** What an API key or a user may do; a route names the one it needs (lib/api/handler.ts). */
export const SCOPES = ["sync:read", "sync:write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];
