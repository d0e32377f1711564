import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { familyOf } from "@/lib/ui/server/entities";
import { currentUser } from "@/lib/ui/server/current-user";

/**
 * An unknown job id is settled here, above this segment's loading boundary: once the loading
 * skeleton has streamed, the status line is sent and a page could only answer 200. Signed-out
 * visitors pass through; the page sends them to sign in without saying whether the id exists.
 */
export default async function Layout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  if ((await currentUser()) && !(await familyOf(id))) notFound();
  return children;
}
