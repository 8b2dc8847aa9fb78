// JSON Schema, as @fastify/swagger publishes the zod contract in the OpenAPI document: enough of it to build
// inputs that are valid but for one planted defect, and to tell whether an input is certainly invalid.
//
// `check` answers 'invalid' only for what zod certainly refuses (wrong type, missing required key, out of
// enum/const, length, bounds, pattern, extra key of a closed object); anything it cannot judge is 'unknown'.
// The fuzzer relies on 'invalid' to know that a change request cannot succeed, so it never guesses.
import type { Rng } from './prng.js';

export interface JsonSchema {
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  $ref?: string;
  [keyword: string]: unknown;
}

export type Verdict = 'valid' | 'invalid' | 'unknown';
export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
export type PathSegment = string | number;

/** Keywords that only ever narrow what is valid and that `check` does not evaluate: 'valid' becomes 'unknown'. */
const UNCHECKED_NARROWING = ['not', 'if', 'patternProperties', 'propertyNames', 'multipleOf', 'uniqueItems', 'contains', 'dependentRequired', 'dependentSchemas', 'format', 'minProperties', 'maxProperties'];

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

const and = (a: Verdict, b: Verdict): Verdict => (a === 'invalid' || b === 'invalid' ? 'invalid' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'valid');

function some(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('valid')) return 'valid';
  return verdicts.every((v) => v === 'invalid') ? 'invalid' : 'unknown';
}

/** Resolves `$ref`s against the OpenAPI document (or, failing that, the schema's own root). */
export class SchemaContext {
  constructor(private readonly doc: unknown) {}

  resolve(schema: JsonSchema, root?: JsonSchema): JsonSchema | null {
    let s: JsonSchema | null = schema;
    for (let hops = 0; s?.$ref !== undefined; hops++) {
      if (hops > 32) return null;
      s = this.pointer(s.$ref, this.doc) ?? (root ? this.pointer(s.$ref, root) : null);
    }
    return s;
  }

  private pointer(ref: string, base: unknown): JsonSchema | null {
    if (!ref.startsWith('#/')) return null;
    let node: unknown = base;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isObject(node)) return null;
      node = node[key];
    }
    return isObject(node) ? (node) : null;
  }

  /** The JSON types a schema admits (through unions), or null when it does not say. */
  typesOf(schema: JsonSchema, root?: JsonSchema, depth = 0): Set<JsonType> | null {
    const s = this.resolve(schema, root);
    if (!s || depth > 16) return null;
    const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? [])];
    let own: Set<JsonType> | null = null;
    if (s.type !== undefined) {
      own = new Set((Array.isArray(s.type) ? s.type : [s.type]) as JsonType[]);
      if (s.nullable === true) own.add('null');
    } else if (s.enum !== undefined) {
      own = new Set(s.enum.map(jsonType));
    } else if ('const' in s) {
      own = new Set([jsonType(s.const)]);
    }
    if (branches.length > 0) {
      const union = new Set<JsonType>();
      for (const b of branches) {
        const t = this.typesOf(b, root, depth + 1);
        if (t === null) return own;
        t.forEach((x) => union.add(x));
      }
      if (s.nullable === true) union.add('null');
      if (own === null) return union;
      return new Set([...own].filter((t) => union.has(t) || (t === 'number' && union.has('integer'))));
    }
    if (own?.has('number')) own.add('integer');
    return own;
  }

  /** Whether zod would certainly refuse `value` ('invalid'), certainly accept it, or cannot be judged here. */
  check(value: unknown, schema: JsonSchema, root: JsonSchema = schema, depth = 0): Verdict {
    const s = this.resolve(schema, root);
    if (!s || depth > 64) return 'unknown';
    if (value === undefined) return s.default !== undefined ? 'valid' : 'invalid';
    let verdict: Verdict = 'valid';
    for (const sub of s.allOf ?? []) verdict = and(verdict, this.check(value, sub, root, depth + 1));
    if (s.anyOf) verdict = and(verdict, some(s.anyOf.map((b) => this.check(value, b, root, depth + 1))));
    if (s.oneOf) verdict = and(verdict, some(s.oneOf.map((b) => this.check(value, b, root, depth + 1))));
    if (s.enum) verdict = and(verdict, s.enum.some((e) => deepEqual(e, value)) ? 'valid' : 'invalid');
    if ('const' in s) verdict = and(verdict, deepEqual(s.const, value) ? 'valid' : 'invalid');
    if (verdict === 'invalid') return verdict;

    if (s.type !== undefined) {
      const types = new Set(Array.isArray(s.type) ? s.type : [s.type]);
      if (s.nullable === true) types.add('null');
      const t = jsonType(value);
      if (!(types.has(t) || (t === 'integer' && types.has('number')))) return 'invalid';
      if (typeof value === 'number' && !Number.isFinite(value)) return 'invalid';
    }
    verdict = and(verdict, this.checkBounds(value, s, root, depth));
    if (verdict === 'valid' && UNCHECKED_NARROWING.some((k) => k in s)) return 'unknown';
    return verdict;
  }

  private checkBounds(value: unknown, s: JsonSchema, root: JsonSchema, depth: number): Verdict {
    const bad = (cond: boolean): Verdict => (cond ? 'invalid' : 'valid');
    if (typeof value === 'number') {
      let v = bad(
        (s.minimum !== undefined && (s.exclusiveMinimum === true ? value <= s.minimum : value < s.minimum)) ||
          (s.maximum !== undefined && (s.exclusiveMaximum === true ? value >= s.maximum : value > s.maximum)) ||
          (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) ||
          (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum),
      );
      // zod's int() is also bounded to safe integers (the schema says so too, but not always in every rendering).
      const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
      if (types.includes('integer') && !types.includes('number') && !Number.isSafeInteger(value)) v = 'invalid';
      return v;
    }
    if (typeof value === 'string') {
      if ((s.minLength !== undefined && value.length < s.minLength) || (s.maxLength !== undefined && value.length > s.maxLength)) return 'invalid';
      if (s.pattern !== undefined) {
        try {
          return bad(!new RegExp(s.pattern).test(value));
        } catch {
          return 'unknown';
        }
      }
      return 'valid';
    }
    if (Array.isArray(value)) {
      if ((s.minItems !== undefined && value.length < s.minItems) || (s.maxItems !== undefined && value.length > s.maxItems)) return 'invalid';
      let v: Verdict = 'valid';
      const prefix = s.prefixItems ?? (Array.isArray(s.items) ? s.items : []);
      value.forEach((item, i) => {
        const itemSchema = prefix[i] ?? (Array.isArray(s.items) ? undefined : s.items);
        if (itemSchema) v = and(v, this.check(item, itemSchema, root, depth + 1));
      });
      return v;
    }
    if (isObject(value)) {
      let v: Verdict = 'valid';
      const props = s.properties ?? {};
      for (const key of s.required ?? []) {
        if (!Object.hasOwn(value, key)) {
          const prop = props[key];
          v = and(v, prop && this.resolve(prop, root)?.default !== undefined ? 'valid' : 'invalid');
        }
      }
      for (const [key, item] of Object.entries(value)) {
        const prop = Object.hasOwn(props, key) ? props[key] : undefined;
        if (prop) v = and(v, this.check(item, prop, root, depth + 1));
        else if (s.additionalProperties === false) v = 'invalid';
        else if (isObject(s.additionalProperties)) v = and(v, this.check(item, s.additionalProperties, root, depth + 1));
      }
      return v;
    }
    return 'valid';
  }

  /** Every field below a schema (object properties, array items at [0]), through unions, depth-first. */
  fieldPaths(schema: JsonSchema, limit = 400): { path: PathSegment[]; schema: JsonSchema; required: boolean }[] {
    const out: { path: PathSegment[]; schema: JsonSchema; required: boolean }[] = [];
    const seen = new Set<string>();
    const walk = (sch: JsonSchema, path: PathSegment[], depth: number) => {
      const s = this.resolve(sch, schema);
      if (!s || depth > 6 || out.length >= limit) return;
      for (const b of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) walk(b, path, depth + 1);
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        const p = [...path, key];
        const id = JSON.stringify(p);
        if (!seen.has(id)) {
          seen.add(id);
          out.push({ path: p, schema: prop, required: (s.required ?? []).includes(key) });
        }
        walk(prop, p, depth + 1);
      }
      const items = Array.isArray(s.items) ? s.items[0] : s.items;
      if (items) {
        const p = [...path, 0];
        const id = JSON.stringify(p);
        if (!seen.has(id)) {
          seen.add(id);
          out.push({ path: p, schema: items, required: false });
        }
        walk(items, p, depth + 1);
      }
    };
    walk(schema, [], 0);
    return out;
  }

  /** Whether a value shaped by `schema` can hold `path` (so a union branch can be chosen that reaches it). */
  private reaches(schema: JsonSchema, path: readonly PathSegment[], root: JsonSchema, depth = 0): boolean {
    if (path.length === 0) return true;
    const s = this.resolve(schema, root);
    if (!s || depth > 16) return false;
    const [head, ...rest] = path;
    if ([...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])].some((b) => this.reaches(b, path, root, depth + 1))) return true;
    if (typeof head === 'string') {
      const prop = s.properties?.[head];
      return prop !== undefined && Object.hasOwn(s.properties ?? {}, head) && this.reaches(prop, rest, root, depth + 1);
    }
    const items = Array.isArray(s.items) ? s.items[0] : s.items;
    return items !== undefined && this.reaches(items, rest, root, depth + 1);
  }

  /**
   * A value meant to be valid for `schema` (best effort; `check` says whether it is), built around `focus`:
   * the value at that path is `plant.value`, or the key is left out when `plant` is 'omit'.
   */
  sample(
    schema: JsonSchema,
    rng: Rng,
    focus: readonly PathSegment[] = [],
    plant: { value: unknown } | 'omit' | null = null,
    root: JsonSchema = schema,
    depth = 0,
  ): unknown {
    const s = this.resolve(schema, root);
    if (!s) return null;
    const focused = plant !== null && focus.length > 0;
    const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? [])];
    if (branches.length > 0) {
      const fitting = focused ? branches.filter((b) => this.reaches(b, focus, root)) : branches;
      const nonNull = fitting.filter((b) => this.resolve(b, root)?.type !== 'null');
      return this.sample(rng.pick(nonNull.length > 0 ? nonNull : fitting.length > 0 ? fitting : branches), rng, focus, plant, root, depth + 1);
    }
    if (s.allOf && s.allOf.length > 0 && s.type === undefined && s.properties === undefined) {
      return this.sample(s.allOf[0]!, rng, focus, plant, root, depth + 1);
    }
    if ('const' in s) return s.const;
    if (s.enum && s.enum.length > 0) return rng.pick(s.enum);

    const types = this.typesOf(s, root);
    let type: JsonType;
    if (focused) type = typeof focus[0] === 'number' ? 'array' : 'object';
    else if (types === null) type = s.properties ? 'object' : 'string';
    else {
      const choices = [...types].filter((t) => t !== 'null');
      type = choices.length > 0 ? rng.pick(choices) : 'null';
    }

    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        const head = focused ? focus[0] : undefined;
        for (const [key, prop] of Object.entries(s.properties ?? {})) {
          if (key === head) {
            if (focus.length === 1 && plant !== null) {
              if (plant !== 'omit') out[key] = plant.value;
            } else out[key] = this.sample(prop, rng, focus.slice(1), plant, root, depth + 1);
          } else if ((s.required ?? []).includes(key) || (depth < 4 && rng.chance(0.35))) {
            out[key] = this.sample(prop, rng, [], null, root, depth + 1);
          }
        }
        if (typeof head === 'string' && !Object.hasOwn(s.properties ?? {}, head) && plant !== null && plant !== 'omit' && focus.length === 1) {
          out[head] = plant.value;
        }
        return out;
      }
      case 'array': {
        const items = (Array.isArray(s.items) ? s.items[0] : s.items) ?? {};
        const index = focused && typeof focus[0] === 'number' ? focus[0] : -1;
        const min = Math.max(s.minItems ?? 0, index + 1);
        const n = Math.min(Math.max(min, depth < 4 ? rng.int(min, min + 1) : min), s.maxItems ?? Number.MAX_SAFE_INTEGER);
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) {
          if (i === index && focus.length === 1 && plant !== null) {
            if (plant !== 'omit') out.push(plant.value);
          } else out.push(this.sample(items, rng, i === index ? focus.slice(1) : [], i === index ? plant : null, root, depth + 1));
        }
        return out;
      }
      case 'string':
        return sampleString(s, rng);
      case 'integer':
      case 'number': {
        const lo = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : (s.minimum ?? 0) + (s.exclusiveMinimum === true ? 1 : 0);
        const hi = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - 1 : (s.maximum ?? lo + 100) - (s.exclusiveMaximum === true ? 1 : 0);
        return rng.int(Math.ceil(lo), Math.max(Math.ceil(lo), Math.floor(Math.min(hi, lo + 1000))));
      }
      case 'boolean':
        return rng.chance(0.5);
      default:
        return null;
    }
  }
}

/** A string meeting the schema's length and pattern when one of a few plausible candidates does. */
function sampleString(s: JsonSchema, rng: Rng): string {
  const hex = rng.hex(8);
  const candidates = [
    `vireo-fuzz-${hex}`,
    `vireo_fuzz_${hex}`,
    `/var/lib/vireo-fuzz/${hex}.qcow2`,
    rng.uuid(),
    `VireoFuzz${hex}`,
    hex,
    `${hex}${rng.hex(24)}`,
    'local',
    'a',
    '1',
    '52:54:00:12:34:56',
    '"vireo-fuzz-etag"',
  ];
  let re: RegExp | null = null;
  try {
    re = s.pattern !== undefined ? new RegExp(s.pattern) : null;
  } catch {
    re = null;
  }
  const fits = (c: string) => (s.minLength === undefined || c.length >= s.minLength) && (s.maxLength === undefined || c.length <= s.maxLength) && (re === null || re.test(c));
  const ok = candidates.filter(fits);
  if (ok.length > 0) return re === null ? ok[0]! : rng.pick(ok);
  // Long minimums (passwords): pad a fuzz string up to the length wanted.
  const padded = `vireo-fuzz-${hex}`.padEnd(Math.max(s.minLength ?? 0, 12), 'x');
  return fits(padded) ? padded : `vireo-fuzz-${hex}`;
}

/** Values of each JSON type, for planting where the schema wants another type. */
export const VALUES_BY_TYPE: Readonly<Record<JsonType, readonly unknown[]>> = {
  string: ['vireo-fuzz-wrong-type', '', '0', 'true', 'null'],
  number: [1.5, -0.25],
  integer: [0, -1, 42],
  boolean: [true, false],
  null: [null],
  array: [[], ['vireo-fuzz'], [1, 'two', null]],
  object: [{}, { 'vireo-fuzz': 1 }],
};
