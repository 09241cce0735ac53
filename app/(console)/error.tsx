"use client";

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6">
      <h1 className="font-semibold text-red-800">This page could not be loaded</h1>
      <p className="mt-1 text-sm text-red-700">{error.digest ? `Reference ${error.digest}. ` : ""}Try again; if it keeps failing, check /api/readyz.</p>
      <button onClick={reset} className="mt-3 rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-red-200">Try again</button>
    </div>
  );
}
