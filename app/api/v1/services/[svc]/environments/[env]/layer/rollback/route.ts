import { overlayRef, layerRoutes } from "@/lib/api/layer-routes";

export const POST = layerRoutes(overlayRef).rollback;
