/**
 * A small checker of JSON values against GitHub's published OpenAPI description (@octokit/openapi,
 * api.github.com, OpenAPI 3.0): follows `$ref`, `allOf`/`anyOf`/`oneOf`, `nullable`, `type`,
 * `required`, `properties`, `items` and `enum`. Formats and extra properties are not checked.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Schema = {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
};

interface OpenApiResponse {
  $ref?: string;
  content?: Record<string, { schema?: Schema }>;
}

interface OpenApi {
  paths: Record<string, Record<string, { responses?: Record<string, OpenApiResponse> }>>;
  components: { schemas: Record<string, Schema>; responses?: Record<string, OpenApiResponse> };
}

let spec: OpenApi | undefined;
function openapi(): OpenApi {
  if (!spec) {
    const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    spec = JSON.parse(readFileSync(file, 'utf8')) as OpenApi;
  }
  return spec;
}

/** The JSON schema of an operation's response, e.g. `responseSchema('get', '/repos/{owner}/{repo}/pulls/{pull_number}')`. */
export function responseSchema(method: string, path: string, status = '200'): Schema {
  const op = openapi().paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`OpenAPI has no operation ${method.toUpperCase()} ${path}`);
  let response = op.responses?.[status];
  // Shared responses (`#/components/responses/not_found`, `validation_failed`, ...).
  const shared = response?.$ref ? /^#\/components\/responses\/(.+)$/.exec(response.$ref) : null;
  if (shared) response = openapi().components.responses?.[shared[1]!];
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`OpenAPI ${method.toUpperCase()} ${path} has no ${status} JSON response schema`);
  return schema;
}

function resolve(schema: Schema): Schema {
  let s = schema;
  for (let hops = 0; s.$ref; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${schema.$ref}`);
    const m = /^#\/components\/schemas\/(.+)$/.exec(s.$ref);
    const target = m ? openapi().components.schemas[m[1]!] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${s.$ref}`);
    s = target;
  }
  return s;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

/** Problems found, as `path: what` lines; empty when `value` conforms. */
export function checkSchema(schema: Schema, value: unknown, path = '$', depth = 0): string[] {
  if (depth > 60) return [];
  const s = resolve(schema);
  const errors: string[] = [];
  if (value === null && (s.nullable || (Array.isArray(s.type) && s.type.includes('null')))) return errors;
  if (s.allOf) for (const sub of s.allOf) errors.push(...checkSchema(sub, value, path, depth + 1));
  for (const alternatives of [s.anyOf, s.oneOf]) {
    if (!alternatives) continue;
    const results = alternatives.map((sub) => checkSchema(sub, value, path, depth + 1));
    if (!results.some((r) => r.length === 0)) {
      const best = results.reduce((a, b) => (b.length < a.length ? b : a));
      errors.push(`${path}: matches none of ${alternatives.length} alternatives; closest: ${best.join('; ')}`);
    }
  }
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  if (types.length && !types.some((t) => typeMatches(t, value))) {
    errors.push(`${path}: expected ${types.join('|')}${s.nullable ? '|null' : ''}, got ${typeOf(value)}`);
    return errors;
  }
  if (s.enum && !s.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum ${JSON.stringify(s.enum)}`);
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in obj)) errors.push(`${path}: missing required property "${key}"`);
    for (const [key, sub] of Object.entries(s.properties ?? {})) {
      if (key in obj) errors.push(...checkSchema(sub, obj[key], `${path}.${key}`, depth + 1));
    }
  }
  if (Array.isArray(value) && s.items) {
    value.forEach((item, i) => errors.push(...checkSchema(s.items!, item, `${path}[${i}]`, depth + 1)));
  }
  return errors;
}
