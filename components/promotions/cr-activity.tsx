"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { api } from "@/lib/client/fetcher";
import { crPath, formatTime, type ChangeRequestView } from "@/lib/client/promotions-api";
import { useCrAction } from "./use-cr-action";

type Entry = { key: string; at: string; who: string; what: string; body: string; tone: string };

/** Decisions and comments in the order they happened, and the comment form. */
export function CrActivity({ cr }: { cr: ChangeRequestView }) {
  const id = useId();
  const [text, setText] = useState("");
  const comment = useCrAction((body: string) => api(`${crPath(cr.id)}/comments`, { method: "POST", json: { body } }), () => setText(""));
  const entries: Entry[] = [
    ...cr.decisions.map((d) => ({
      key: `d-${d.userId}-${d.at}`,
      at: d.at,
      who: d.userName,
      what: `${d.decision === "approve" ? "approved" : "rejected"}${d.current ? "" : ` version ${d.contentVersion}`}`,
      body: d.comment,
      tone: d.decision === "approve" ? "border-emerald-300" : "border-red-300",
    })),
    ...cr.comments.map((c) => ({ key: `c-${c.id}`, at: c.createdAt, who: c.authorName, what: "commented", body: c.body, tone: "border-slate-200" })),
  ].sort((a, b) => a.at.localeCompare(b.at));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) comment.mutate(text.trim());
  };

  return (
    <Card title="Discussion">
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500">No decisions or comments yet.</p>
      ) : (
        <ol className="space-y-3" aria-label="Decisions and comments">
          {entries.map((e) => (
            <li key={e.key} className={`border-l-2 pl-3 ${e.tone}`}>
              <p className="text-sm">
                <span className="font-medium">{e.who}</span> <span className="text-slate-600">{e.what}</span>{" "}
                <time dateTime={e.at} className="text-xs text-slate-400">{formatTime(e.at)}</time>
              </p>
              {e.body ? <p className="mt-0.5 text-sm whitespace-pre-wrap text-slate-700">{e.body}</p> : null}
            </li>
          ))}
        </ol>
      )}
      {cr.actions.comment ? (
        <form onSubmit={submit} className="mt-4 border-t border-slate-100 pt-4">
          <label htmlFor={id} className="text-xs font-medium text-slate-600">Add a comment</label>
          <textarea
            id={id}
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={3}
            maxLength={5000}
            className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
          {comment.error ? <p role="alert" className="mt-1 text-sm text-red-700">{comment.error.message}</p> : null}
          <div className="mt-2 flex justify-end">
            <Button type="submit" variant="secondary" disabled={comment.isPending || !text.trim()}>{comment.isPending ? "Posting…" : "Comment"}</Button>
          </div>
        </form>
      ) : null}
    </Card>
  );
}
