import { problem } from "@/lib/api/problem";

// Any /api path no route claims: a problem+json 404, whatever the method.
const notFound = (req: Request) =>
  problem(404, `There is no API endpoint at ${new URL(req.url).pathname}. The API lives under /api/v1.`);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
