import { baseRef, layerRoutes } from "@/lib/api/layer-routes";

const r = layerRoutes(baseRef);
export const GET = r.get;
export const PUT = r.put;
