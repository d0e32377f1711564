import { log } from "@/lib/runtime/log";
import { onCredentialsChanged } from "./principal-cache";

/** How often a long request's credential is checked again when nothing announced a change (its expiry). */
export const ACCESS_RECHECK_MS = 15_000;

/**
 * For a request that outlives its authentication (an event stream): calls `onLost` once, as soon
 * as `check` says the caller's credential no longer grants the request (a key revoked, a user
 * signed out, demoted or deleted, in any process), and stops. Checked whenever credentials change
 * and every ACCESS_RECHECK_MS (a key or session that expired). A check that fails (the database
 * briefly down) proves nothing and keeps the request. Returns the stop.
 */
export function watchAccess(check: () => Promise<boolean>, onLost: () => void): () => void {
  let stopped = false;
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true; // a change during a check: check once more after it
      return;
    }
    running = true;
    try {
      do {
        again = false;
        if (!(await check())) {
          stop();
          onLost();
          return;
        }
      } while (again && !stopped);
    } catch (e) {
      log.warn("could not check a long request's credential again; it stays open", { err: e });
    } finally {
      running = false;
    }
  };
  const unsubscribe = onCredentialsChanged(() => void run());
  const timer = setInterval(() => void run(), ACCESS_RECHECK_MS);
  timer.unref?.();
  function stop() {
    stopped = true;
    unsubscribe();
    clearInterval(timer);
  }
  return stop;
}
