import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False during the server render and hydration, true after. For parts that depend on the browser's
 * own Intl data (its time zone, its list of zones): rendering them on the server would differ from
 * the browser's first render and break hydration.
 */
export const useHydrated = (): boolean =>
  useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
