// swc's options for the kit's TypeScript, as tsconfig.json compiles it (ES2022 classes and fields, CommonJS): one
// set for jest's transform (jest.config.js) and for the scripts a test runs in a child (swc-register.js).
module.exports = { jsc: { parser: { syntax: 'typescript' }, target: 'es2022', transform: { useDefineForClassFields: true } }, module: { type: 'commonjs' } };
