const BASE = "http://sign-in.invalid";

/**
 * Where to go after sign-in: only a path of this site (no open redirect through `next`). The path
 * is read the way a browser reads it, which drops tabs and newlines and takes `\` for `/`, so
 * `/\t/evil.example` is the other site it is, not a path.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : "/";
}
