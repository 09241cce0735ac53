import { sharedRef, layerRoutes } from "@/lib/api/layer-routes";

export const GET = layerRoutes(sharedRef).diff;
