import "server-only";
import { getLayer } from "@/lib/server/configs/get-layer";
import { diffRevisionsInput, diffRevisions } from "@/lib/server/configs/diff-revisions";
import { getRevision, listRevisions, listRevisionsInput } from "@/lib/server/configs/list-revisions";
import { rollbackLayer, rollbackLayerInput } from "@/lib/server/configs/rollback-layer";
import { saveLayer, saveLayerInput, type LayerTarget } from "@/lib/server/configs/save-layer";
import { validateLayer, validateLayerInput } from "@/lib/server/configs/validate-layer";
import { route } from "./route";

/**
 * The three kinds of layer (shared template, service base, environment overlay) share one set of
 * endpoints; only how the URL names the layer differs.
 */
type RefOf = (params: Record<string, string>) => LayerTarget;

export const overlayRef: RefOf = (p) => ({ layer: "overlay", service: p.svc!, env: p.env! });
export const baseRef: RefOf = (p) => ({ layer: "base", service: p.svc!, env: null });
export const sharedRef: RefOf = () => ({ layer: "shared", service: null, env: null });

const omitRef = { layer: true, service: true, env: true } as const;

export function layerRoutes(refOf: RefOf) {
  return {
    // GET — the layer's source as written and its head revision.
    get: route({ permission: "config:read" }, ({ principal, params }) => getLayer({ principal, input: refOf(params) })),
    // PUT — saves a new revision: {content, format, message, baseRevision}.
    put: route({ permission: "config:write", body: saveLayerInput.omit(omitRef) }, ({ principal, params, body, meta }) =>
      saveLayer({ principal, input: { ...body, ...refOf(params) }, meta }),
    ),
    // GET …/revisions — history, newest first; ?cursor&limit.
    revisions: route({ permission: "config:read", query: listRevisionsInput.omit(omitRef) }, ({ principal, params, query }) =>
      listRevisions({ principal, input: { ...query, ...refOf(params) } }),
    ),
    // GET …/revisions/{n} — one revision with its source.
    revision: route({ permission: "config:read" }, ({ principal, params }) =>
      getRevision({ principal, input: { ...refOf(params), number: Number(params.n) } }),
    ),
    // GET …/diff?from=&to= — structural diff between two revisions.
    diff: route({ permission: "config:read", query: diffRevisionsInput.omit(omitRef) }, ({ principal, params, query }) =>
      diffRevisions({ principal, input: { ...query, ...refOf(params) } }),
    ),
    // POST …/rollback — {toRevision, baseRevision, message?}: a new revision equal to an old one.
    rollback: route({ permission: "config:write", body: rollbackLayerInput.omit(omitRef) }, ({ principal, params, body, meta }) =>
      rollbackLayer({ principal, input: { ...body, ...refOf(params) }, meta }),
    ),
    // POST …/validate — {content, format}: errors without saving.
    validate: route({ permission: "config:read", body: validateLayerInput.omit(omitRef) }, ({ principal, params, body }) =>
      validateLayer({ principal, input: { ...body, ...refOf(params) } }),
    ),
  };
}

