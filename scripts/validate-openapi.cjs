// Validates an OpenAPI document with @apidevtools/swagger-parser (schema and spec rules) and
// exits 0 when it is valid, 1 with the reason when not. A separate process because the parser's
// dependencies are ES modules, which jest (CommonJS, Node 20) cannot load; plain Node can.
// Usage: node scripts/validate-openapi.cjs [openapi.json]
const SwaggerParser = require('@apidevtools/swagger-parser');
const { join } = require('node:path');

const file = process.argv[2] ?? join(__dirname, '..', 'openapi.json');
SwaggerParser.validate(file).then(
  (api) =>
    process.stdout.write(`valid: ${api.info.title} ${api.info.version}, OpenAPI ${api.openapi}\n`),
  (error) => {
    process.stderr.write(`invalid: ${error.message}\n`);
    process.exit(1);
  },
);
