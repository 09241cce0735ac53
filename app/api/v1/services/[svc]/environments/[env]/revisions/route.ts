import { layerRoutes, overlayRef } from "@/lib/api/layer-routes";

// GET /api/v1/services/{svc}/environments/{env}/revisions — the overlay's history (same as …/layer/revisions).
export const GET = layerRoutes(overlayRef).revisions;
