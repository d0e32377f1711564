/**
 * Loaded first by eslint.config.mjs. The project compiles with TypeScript 7, whose npm
 * package no longer ships the JavaScript compiler API that typescript-eslint parses with; so inside
 * the lint process only, `require("typescript")` resolves to TypeScript 6 (the `typescript6` alias).
 */
const Module = require("node:module");

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === "typescript" ? "typescript6" : request, ...rest);
};
