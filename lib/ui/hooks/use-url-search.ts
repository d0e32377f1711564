"use client";

import { useEffect, useState } from "react";

/**
 * A search box whose text lives in the URL. The box follows every key at once; the URL (and
 * whatever reads it) follows 250 ms after the last key, so typing does not replace the URL per
 * letter. Back/forward or a link that changes the URL's text moves the box along, without
 * fighting the user's own typing. `setInUrl` must be stable (a useCallback).
 */
export function useUrlSearch(inUrl: string | undefined, setInUrl: (text: string | undefined) => void): [string, (text: string) => void] {
  const [text, setText] = useState(inUrl ?? "");
  useEffect(() => {
    if ((inUrl ?? "") === text.trim()) return;
    const t = setTimeout(() => setInUrl(text.trim() || undefined), 250);
    return () => clearTimeout(t);
  }, [text, inUrl, setInUrl]);
  // Derived during render, as React advises for state that follows a changed input.
  const [followed, setFollowed] = useState(inUrl);
  if (followed !== inUrl) {
    setFollowed(inUrl);
    if (text.trim() !== (inUrl ?? "")) setText(inUrl ?? "");
  }
  return [text, setText];
}
