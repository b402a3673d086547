// Jest runs CommonJS, but NestJS 12 (and a few of its dependencies) ship ES modules only.
// Node >= 20.19 loads them natively through require(esm); Jest's module runtime cannot until
// Node 24.9. So for tests only, this transformer compiles those packages to CommonJS with SWC,
// first rewriting the one thing SWC cannot: `import.meta.url`.
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  sourceMaps: false,
  module: { type: 'commonjs', ignoreDynamic: false },
  jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } },
});

module.exports = {
  process(source, filename, options) {
    const rewritten = source.replace(
      /import\.meta\.url/g,
      // `module.require`, not `require`: a file may declare its own `require` from this URL
      "module.require('node:url').pathToFileURL(__filename).href",
    );
    return swc.process(rewritten, filename, options);
  },
  getCacheKey(source, filename, options) {
    return 'esm-v2:' + swc.getCacheKey(source, filename, options);
  },
};
