import { route } from "@/lib/api/route";
import { setDriftSettings, setDriftSettingsInput } from "@/lib/server/drift/configure-drift";

// PUT /api/v1/environments/{env}/drift-settings — {staleAfterSeconds, rolloutDeadlineSeconds, autoRemediate}.
export const PUT = route({ permission: "settings:manage", body: setDriftSettingsInput.omit({ env: true }) }, ({ principal, params, body, meta }) =>
  setDriftSettings({ principal, input: { ...body, env: params.env! }, meta }),
);
