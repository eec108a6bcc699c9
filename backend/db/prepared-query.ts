import type { Compilable, CompiledQuery } from "kysely";
import type { Database } from "./database";

/** What a prepared query may take: plain values, or lists of them (for `in (…)`). */
type Argument = string | number | readonly string[];

/** Where each parameter of the compiled SQL comes from: an argument (and list index), or a constant. */
type Slot = { argument: number; index: number | null } | { constant: unknown };

interface Template<Row> {
  query: CompiledQuery<Row>;
  slots: Slot[];
}

/**
 * A query built and compiled by Kysely once per shape, then run with each call's values.
 *
 * Kysely builds an operation tree and compiles it to SQL on every call; for the small queries on
 * every request's path (the signed-in user, the cert being viewed) that cost more than SQLite takes
 * to run them. Here the builder runs once with placeholder arguments, the compiled parameters that
 * are placeholders are mapped back to argument positions, and later calls reuse the SQL text with
 * their own values (SQLite's statement cache then reuses the prepared statement too).
 *
 * The shape is the length of every list argument (an `in (…)` list of three compiles to different
 * SQL than one of two). Builders must pass arguments through unchanged as values: an argument
 * transformed on the way (lower-cased, wrapped in `%…%`) cannot be found again, and the first
 * call for that shape throws rather than run wrong SQL.
 */
export class PreparedQuery<Args extends Argument[], Row> {
  /** Per dialect (the SQL differs: `?` or `$1`), then per shape. */
  private readonly templates = new WeakMap<object, Map<string, Template<Row>>>();

  constructor(private readonly build: (db: Database, ...args: Args) => Compilable<Row>) {}

  async execute(db: Database, ...args: Args): Promise<Row[]> {
    const template = this.templateFor(db, args);
    const parameters = template.slots.map((slot) => {
      if ("constant" in slot) return slot.constant;
      const value = args[slot.argument];
      return slot.index === null ? value : (value as readonly string[])[slot.index];
    });
    const result = await db.executeQuery<Row>({ ...template.query, parameters });
    return result.rows;
  }

  private templateFor(db: Database, args: Args): Template<Row> {
    // The adapter is the dialect's, shared by the database and its transactions.
    const dialect = db.getExecutor().adapter;
    let byShape = this.templates.get(dialect);
    if (byShape === undefined) {
      byShape = new Map();
      this.templates.set(dialect, byShape);
    }
    const shape = args.map((a) => (Array.isArray(a) ? `[${a.length}]` : typeof a)).join(",");
    let template = byShape.get(shape);
    if (template === undefined) {
      template = compileTemplate(db, this.build, args);
      byShape.set(shape, template);
    }
    return template;
  }
}

function compileTemplate<Args extends Argument[], Row>(db: Database, build: (db: Database, ...args: Args) => Compilable<Row>, args: Args): Template<Row> {
  // Placeholders keep each argument's type, so the builder's own checks behave as for real values.
  const placeholders = new Map<unknown, { argument: number; index: number | null }>();
  const placeholderArgs = args.map((arg, argument) => {
    if (Array.isArray(arg)) {
      return arg.map((_, index) => {
        const placeholder = `\u0000prepared:${argument}:${index}`;
        placeholders.set(placeholder, { argument, index });
        return placeholder;
      });
    }
    // Numbers get a value no caller passes, unique per position.
    const placeholder = typeof arg === "number" ? -1_000_000_007 - argument : `\u0000prepared:${argument}`;
    placeholders.set(placeholder, { argument, index: null });
    return placeholder;
  }) as Args;

  const query = build(db, ...placeholderArgs).compile();
  const slots: Slot[] = query.parameters.map((parameter) => placeholders.get(parameter) ?? { constant: parameter });
  const found = new Set(slots.flatMap((slot) => ("constant" in slot ? [] : [`${slot.argument}:${slot.index ?? ""}`])));
  if (found.size !== placeholders.size) {
    throw new Error("PreparedQuery: an argument did not reach the SQL as a parameter unchanged; prepare this query differently");
  }
  return { query, slots };
}
