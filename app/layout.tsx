import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/lib/client/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Nexus", template: "%s · Nexus" },
  description: "The single source of truth for platform configuration",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
