/**
 * Jest transform for ESM-only packages (jose): compiles their JavaScript to CommonJS with the
 * TypeScript compiler the project already has. Not ts-jest: two ts-jest entries in one jest
 * project share the first one's compiler options.
 */
const ts = require('typescript');

module.exports = {
  process(sourceText, sourcePath) {
    const { outputText, sourceMapText } = ts.transpileModule(sourceText, {
      fileName: sourcePath,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2023,
        sourceMap: true,
      },
    });
    return { code: outputText, map: sourceMapText };
  },
};
