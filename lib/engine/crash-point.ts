/**
 * Fault injection for the crash tests: `SYNC_CONSOLE_CRASH_POINT=<point>:<n>` makes this process
 * SIGKILL itself the n-th time it passes <point>. It proves what no timing can hit reliably — a
 * worker dying between the warehouse's commit and the control plane's. Unset, it costs one lookup.
 */
const spec = process.env.SYNC_CONSOLE_CRASH_POINT?.split(":");
let passes = 0;

export function crashPoint(point: "after-warehouse-commit"): void {
  if (!spec || spec[0] !== point) return;
  if (++passes >= Number(spec[1] ?? 1)) process.kill(process.pid, "SIGKILL");
}
