/** Why there is no Save on a protected environment, and what the way forward is. */
export function ProtectedNote({ env }: { env: string }) {
  return (
    <p role="note" className="text-sm text-amber-900" data-testid="protected-note">
      <strong>{env}</strong> is protected: its changes go through a change request with the required approvals, never a direct
      save. Proposing a change from here arrives with the promotions feature.
    </p>
  );
}
