import { QueryClient } from "@tanstack/react-query";

/** Shared defaults: fresh for a few seconds (live events invalidate), no retries on 4xx. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        gcTime: 5 * 60_000,
        retry: (count, error) => {
          const status = (error as { status?: number })?.status ?? 0;
          return (status === 0 || status >= 500) && count < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}
