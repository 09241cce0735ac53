import { overlayRef, layerRoutes } from "@/lib/api/layer-routes";

const r = layerRoutes(overlayRef);
export const GET = r.get;
export const PUT = r.put;
