import { overlayRef, layerRoutes } from "@/lib/api/layer-routes";

export const GET = layerRoutes(overlayRef).diff;
