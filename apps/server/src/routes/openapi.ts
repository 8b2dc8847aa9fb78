import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';

// Carries "this body may be left out" from the per-route transform to the document transform; removed there.
const OPTIONAL_BODY = 'x-vireo-optional-body';

/**
 * The zod -> JSON Schema transform, plus a note on routes whose body may be omitted. Fastify hands a route without
 * a body to its validator as `null`, so a body schema that accepts null (such as DELETE domain's volume list) is
 * optional; @fastify/swagger still marks every declared body `required: true`, which `openApiTransformObject` undoes.
 */
export const openApiTransform: SwaggerTransform = (document) => {
  const transformed = jsonSchemaTransform(document);
  // Typed as always present, but a route declared without a schema reaches here with none.
  const schema = document.schema as FastifySchema | undefined;
  const body: unknown = schema?.body;
  if (body instanceof z.ZodType && body.safeParse(null).success) {
    return { ...transformed, schema: { ...transformed.schema, [OPTIONAL_BODY]: true } };
  }
  return transformed;
};

/** Sets `requestBody.required: false` on the operations `openApiTransform` marked, and drops the mark. */
export const openApiTransformObject: SwaggerTransformObject = (document) => {
  const spec = 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
  for (const item of Object.values(spec.paths ?? {})) {
    if (typeof item !== 'object' || item === null) continue;
    for (const operation of Object.values(item as Record<string, unknown>)) {
      if (typeof operation !== 'object' || operation === null || !(OPTIONAL_BODY in operation)) continue;
      const op = operation as { requestBody?: { required?: boolean }; [OPTIONAL_BODY]?: unknown };
      delete op[OPTIONAL_BODY];
      if (op.requestBody) op.requestBody.required = false;
    }
  }
  return spec;
};
