import { baseRef, layerRoutes } from "@/lib/api/layer-routes";

export const GET = layerRoutes(baseRef).diff;
