import { sql, type RawBuilder } from "kysely";

/**
 * The ids of a correlated subquery's rows as one comma-separated text (ids are UUIDs), NULL when
 * there are none: the same SQL on both databases (SQLite has string_agg since 3.44, better-sqlite3
 * bundles a newer one), and a plain string for the driver to pass on, where an array column cost a
 * parse per row (measured with `pg`: ~2 ms per 1,000 rows). Unordered: an ORDER BY in the
 * aggregate made PostgreSQL sort per row (~1 ms per page); `idsOf` sorts the few ids instead.
 */
export function idList(column: string): RawBuilder<string | null> {
  return sql<string | null>`string_agg(${sql.ref(column)}, ',')`;
}

/** The ids of an `idList` column, sorted (as getCert and the feed return them). */
export function idsOf(list: string | null): string[] {
  return list === null ? [] : list.split(",").sort();
}
