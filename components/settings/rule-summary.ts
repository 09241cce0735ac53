export type ApprovalRule = { name: string; protected: boolean; requiredApprovals: number; approverRoles: string[]; allowBypass: boolean; soakMinutes?: number };

/** Describes a rule in one line, for people who may not edit it. */
export function ruleSummary(e: ApprovalRule): string {
  const approvals = e.requiredApprovals === 0 ? "no approvals" : `${e.requiredApprovals} approval${e.requiredApprovals === 1 ? "" : "s"} by ${e.approverRoles.join(" / ")}`;
  const soak = e.soakMinutes ? ` · the previous environment must run it in sync and healthy for ${e.soakMinutes} min first` : "";
  return `${e.protected ? "protected" : "unprotected"} · ${approvals} · ${e.allowBypass ? "emergency bypass allowed" : "no bypass"}${soak}`;
}
