import { z } from "zod";
import { route } from "@/lib/api/route";
import { deleteVariable, setVariable } from "@/lib/server/configs/variables";

// PUT /api/v1/environments/{env}/variables/{name} — {value}.
export const PUT = route({ permission: "settings:manage", body: z.object({ value: z.string() }).strict() }, ({ principal, params, body, meta }) =>
  setVariable({ principal, input: { env: params.env!, name: params.name!, value: body.value }, meta }),
);

// DELETE /api/v1/environments/{env}/variables/{name} — unless a config still refers to it.
export const DELETE = route({ permission: "settings:manage" }, ({ principal, params, meta }) =>
  deleteVariable({ principal, input: { env: params.env!, name: params.name! }, meta }),
);
