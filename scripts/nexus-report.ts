// Renders an import report as the table `npm run nexus -- import` prints.
import type { ImportFileReport, ImportReport } from "@/lib/server/import/import-report";

const where = (f: ImportFileReport) =>
  f.layer === "shared" ? "shared template" : f.layer === "base" ? `${f.service} base` : f.layer ? `${f.service} ${f.env}` : "?";

const changes = (f: ImportFileReport) => {
  if (!f.diff || f.action === "error") return "";
  if (f.action === "unchanged") return "=";
  return [`+${f.diff.added}`, `-${f.diff.removed}`, `~${f.diff.changed}`].join(" ");
};

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ").trimEnd());
}

export function formatReport(report: ImportReport, dir: string): string {
  const out: string[] = [];
  const title = report.applied ? "Imported" : report.dryRun ? "Dry run of the import of" : "Import of";
  out.push(`${title} ${dir}: ${report.summary.files} file${report.summary.files === 1 ? "" : "s"}`, "");
  const rows = [["FILE", "LAYER", "ACTION", "PATHS (+added -removed ~changed)", ...(report.applied ? ["REVISION"] : [])]];
  for (const f of report.files) {
    rows.push([f.path, where(f), f.action, changes(f), ...(report.applied ? [f.revision ? `r${f.revision}` : "-"] : [])]);
  }
  const lines = table(rows);
  out.push(`  ${lines[0]}`);
  report.files.forEach((f, i) => {
    out.push(`  ${lines[i + 1]}`);
    if (!f.problem) return;
    out.push(`      ${f.problem.detail}`);
    for (const e of f.problem.errors) {
      if (!e.path && f.problem.detail.includes(e.message)) continue; // already said in the detail
      const at = e.line ? ` (line ${e.line}, column ${e.column})` : "";
      out.push(`      ${e.path || "/"}${at}: ${e.message}`);
    }
  });
  out.push("");
  if (report.newEnvironments.length > 0) {
    out.push(`The database has no environments: the standard pipeline ${report.newEnvironments.join(" → ")} ${report.applied ? "was" : "will be"} created.`);
  }
  if (report.newServices.length > 0) out.push(`New services: ${report.newServices.join(", ")}`);
  const s = report.summary;
  out.push(`Summary: ${s.files} files: ${s["create-service"]} create-service, ${s["create-layer"]} create-layer, ${s.change} change, ${s.unchanged} unchanged, ${s.error} error.`);
  if (s.error > 0) out.push(`Nothing was written: fix the ${s.error === 1 ? "file" : `${s.error} files`} marked "error" and import again.`);
  else if (report.applied) out.push("Everything was written in one transaction.");
  else if (report.dryRun) out.push("Dry run: nothing was written.");
  return out.join("\n");
}
