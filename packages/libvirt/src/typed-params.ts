import { TypedParamType, type TypedParam } from './procedures/remote-types.js';

export type TypedParamValue = number | bigint | boolean | string;

/** Flattens typed parameters into a record; booleans come back as booleans, 64-bit values as bigint. */
export function typedParamsToRecord(params: readonly TypedParam[]): Record<string, TypedParamValue> {
  const out: Record<string, TypedParamValue> = {};
  for (const p of params) out[p.field] = p.value.type === TypedParamType.BOOLEAN ? p.value.value !== 0 : p.value.value;
  return out;
}

/** Builders for typed parameters sent to the daemon (migration, job and tuning calls). */
export const param = {
  int: (field: string, value: number): TypedParam => ({ field, value: { type: TypedParamType.INT, value } }),
  uint: (field: string, value: number): TypedParam => ({ field, value: { type: TypedParamType.UINT, value } }),
  llong: (field: string, value: bigint): TypedParam => ({ field, value: { type: TypedParamType.LLONG, value } }),
  ullong: (field: string, value: bigint): TypedParam => ({ field, value: { type: TypedParamType.ULLONG, value } }),
  double: (field: string, value: number): TypedParam => ({ field, value: { type: TypedParamType.DOUBLE, value } }),
  boolean: (field: string, value: boolean): TypedParam => ({
    field,
    value: { type: TypedParamType.BOOLEAN, value: value ? 1 : 0 },
  }),
  string: (field: string, value: string): TypedParam => ({ field, value: { type: TypedParamType.STRING, value } }),
};
