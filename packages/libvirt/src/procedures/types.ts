import type { Codec, Infer } from '../xdr/index.js';

/** Which way a procedure's stream carries data after its reply. */
export type StreamDirection = 'read' | 'write' | 'both';

/** One entry of a program's procedure catalogue: data from which the typed methods come. */
export interface ProcedureDef<A = unknown, R = unknown> {
  readonly number: number;
  readonly args: Codec<A>;
  readonly ret: Codec<R>;
  /** Set for procedures that open a stream after their reply (console, screenshot, volume upload/download). */
  readonly stream?: StreamDirection;
}

/** An asynchronous message the daemon pushes (events), identified by its procedure number. */
export interface MessageDef<B = unknown> {
  readonly number: number;
  readonly body: Codec<B>;
}

export function procedure<A, R>(number: number, args: Codec<A>, ret: Codec<R>): ProcedureDef<A, R>;
export function procedure<A, R, S extends StreamDirection>(
  number: number,
  args: Codec<A>,
  ret: Codec<R>,
  stream: S,
): ProcedureDef<A, R> & { readonly stream: S };
export function procedure<A, R>(number: number, args: Codec<A>, ret: Codec<R>, stream?: StreamDirection): ProcedureDef<A, R> {
  return stream ? { number, args, ret, stream } : { number, args, ret };
}

export function message<B>(number: number, body: Codec<B>): MessageDef<B> {
  return { number, body };
}

export type ArgsOf<D> = D extends ProcedureDef<infer A, unknown> ? A : never;
export type RetOf<D> = D extends ProcedureDef<unknown, infer R> ? R : never;
export type BodyOf<D> = D extends MessageDef<infer B> ? B : never;
export type { Infer };
