import { sharedRef, layerRoutes } from "@/lib/api/layer-routes";

const r = layerRoutes(sharedRef);
export const GET = r.get;
export const PUT = r.put;
