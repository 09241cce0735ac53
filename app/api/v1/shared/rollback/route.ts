import { sharedRef, layerRoutes } from "@/lib/api/layer-routes";

export const POST = layerRoutes(sharedRef).rollback;
