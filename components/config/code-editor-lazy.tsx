"use client";

import dynamic from "next/dynamic";

// CodeMirror touches the DOM when it loads and is large: it is fetched only in the browser,
// and only on pages that show an editor.
export const CodeEditor = dynamic(() => import("./code-editor"), {
  ssr: false,
  loading: () => (
    <div role="status" className="flex h-48 items-center justify-center rounded-md border border-slate-200 bg-slate-50 text-sm text-slate-500">
      Loading editor…
    </div>
  ),
});
