"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const NAV = [
  { href: "/", label: "Overview" },
  { href: "/services", label: "Services" },
  { href: "/promotions", label: "Promotions" },
  { href: "/drift", label: "Drift" },
  { href: "/health", label: "Health" },
  { href: "/audit", label: "Audit" },
  { href: "/settings", label: "Settings" },
];

const BADGE_MEANING: Record<string, string> = { "/promotions": "awaiting your approval" };

/** `badges`: counts shown beside nav entries, by href (the layout computes them on the server). */
export function Sidebar({ badges = {} }: { badges?: Record<string, number> }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5 px-3">
      {NAV.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        const count = badges[item.href] ?? 0;
        const badgeId = `nav-badge-${item.label.toLowerCase()}`;
        return (
          <div key={item.href} className="relative">
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              // The count stays outside the link's text so the link's name is just its label.
              aria-describedby={count > 0 ? badgeId : undefined}
              className={`block rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-slate-800 text-white" : "text-slate-300 hover:bg-slate-800/60 hover:text-white"}`}
            >
              {item.label}
            </Link>
            {count > 0 ? (
              <span
                id={badgeId}
                data-testid={badgeId}
                className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded-full bg-indigo-500 px-1.5 text-xs leading-5 font-semibold text-white"
              >
                {count}
                <span className="sr-only"> {BADGE_MEANING[item.href] ?? ""}</span>
              </span>
            ) : null}
          </div>
        );
      })}
    </nav>
  );
}
