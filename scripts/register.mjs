// Loaded with `tsx --import` for the custom server and the CLI scripts: outside Next's bundler,
// `server-only` would throw, yet these processes are the server. Resolve it to an empty module.
import { register } from "node:module";

register("./server-only-hooks.mjs", import.meta.url);
