"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "./button";

/**
 * A modal dialog: Escape cancels, focus moves in on open and back to where it was on close, and
 * Tab stays inside so a keyboard user cannot wander behind the overlay.
 */
export function Dialog({
  title,
  children,
  onClose,
  role = "dialog",
  footer,
}: {
  title: ReactNode;
  children?: ReactNode;
  onClose: () => void;
  role?: "dialog" | "alertdialog";
  footer?: ReactNode;
}) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = box.current;
    // Elements marked autoFocus win; otherwise the first control.
    const first = el?.querySelector<HTMLElement>("[data-autofocus]") ?? el?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        close.current();
      } else if (e.key === "Tab" && el) {
        const items = [...el.querySelectorAll<HTMLElement>(FOCUSABLE)];
        if (items.length === 0) return;
        const [a, z] = [items[0]!, items[items.length - 1]!];
        if (e.shiftKey && document.activeElement === a) {
          e.preventDefault();
          z.focus();
        } else if (!e.shiftKey && document.activeElement === z) {
          e.preventDefault();
          a.focus();
        }
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      before?.focus?.();
    };
  }, []);

  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/40 p-4">
      <div ref={box} role={role} aria-modal="true" aria-labelledby={titleId} className="w-full max-w-lg rounded-lg bg-white p-5 shadow-xl">
        <h2 id={titleId} className="font-semibold text-slate-900">{title}</h2>
        {children ? <div className="mt-2 text-sm text-slate-600">{children}</div> : null}
        {footer ? <div className="mt-4 flex justify-end gap-2">{footer}</div> : null}
      </div>
    </div>
  );
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** "Are you sure?" with the cancel button focused first, so Enter on a stray keypress does nothing harmful. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  danger,
  onConfirm,
  onCancel,
}: {
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  pending?: boolean;
  error?: string | null;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      role="alertdialog"
      title={title}
      onClose={onCancel}
      footer={
        <>
          <Button variant="secondary" data-autofocus onClick={onCancel}>Cancel</Button>
          <Button variant={danger ? "danger" : "primary"} disabled={pending} onClick={onConfirm}>
            {pending ? (pendingLabel ?? "Working…") : confirmLabel}
          </Button>
        </>
      }
    >
      {children}
      {error ? <p role="alert" className="mt-2 text-red-700">{error}</p> : null}
    </Dialog>
  );
}
