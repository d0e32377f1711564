/**
 * Entry of the prototype web server in web.ts (`node lib/bin/web-entry.cjs`; npm start does not run it). tsx
 * compiles our TypeScript through require hooks only while web.ts and the fast path's modules
 * load: web.ts removes them as soon as those are in, because every require Next.js makes while
 * answering a request would otherwise go through them too (measured: /healthz under
 * `node --import tsx` costs 4.8–5.7 ms of server CPU instead of 2.7).
 */
const { register } = require("tsx/cjs/api");

globalThis.__webUnregisterTsx = register();
require("./web.ts");
