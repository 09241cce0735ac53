import { baseRef, layerRoutes } from "@/lib/api/layer-routes";

export const POST = layerRoutes(baseRef).validate;
