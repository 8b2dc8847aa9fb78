/** The shape another language must give a section: the same keys, any strings. */
export type Section<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Section<T[K]> };
