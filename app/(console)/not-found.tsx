import Link from "next/link";

export default function ConsoleNotFound() {
  return (
    <div className="mx-auto mt-16 max-w-md text-center">
      <p className="text-sm font-medium text-zinc-600">404</p>
      <h1 className="mt-1 text-lg font-semibold text-zinc-900">Not found</h1>
      <p className="mt-2 text-sm text-zinc-600">
        There is nothing at this address. The integration, sync or job may have been deleted, or its retention period has passed.
      </p>
      <Link href="/" className="mt-5 inline-block rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700">
        Back to the dashboard
      </Link>
    </div>
  );
}
