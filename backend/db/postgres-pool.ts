import postgres from "postgres";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

/**
 * The PostgreSQL connection pool behind Kysely's PostgresDialect, on postgres.js (docs/adr/0005).
 *
 * Statements outside a transaction are pipelined: postgres.js writes every statement queued in one
 * tick to a connection in one socket write and keeps sending while earlier answers are on the way,
 * so under load a request no longer costs a syscall on each side and a backend wake-up per
 * statement (with `pg`, one statement at a time per connection, that was most of getCert's cost).
 *
 * A transaction needs a connection of its own for its whole life. Kysely asks the pool for a
 * "connection" before every statement and only then says BEGIN, so a client here starts out
 * shared and reserves a connection at BEGIN, until COMMIT or ROLLBACK. Reserved connections come
 * from a pool of their own: postgres.js hands a reservation only a connection with nothing in
 * flight, and under steady pipelined load the shared connections never get there, which would
 * starve every transaction.
 *
 * Statements with parameters are prepared once per connection (they come from a fixed set of
 * shapes; values are always parameters). Statements without parameters (BEGIN, DDL) and those
 * ending with `planPerRunMarker` are sent unnamed: see PLAN_PER_RUN in database.ts.
 */
export interface PipelinedPoolOptions {
  url: string;
  /** Connections for single statements (pipelined). */
  sharedConnections: number;
  /** Connections for transactions (one each while it runs). */
  transactionConnections: number;
  planPerRunMarker: string;
}

/** One connection of the transaction set; `taken` from BEGIN to COMMIT or ROLLBACK. */
interface TransactionConnection {
  sql: postgres.Sql;
  taken: boolean;
}

export function pipelinedPool(options: PipelinedPoolOptions): PostgresPool {
  const common = {
    // One connection per postgres.js instance: its own pool keeps connections in queues whose
    // arrays grow by one slot per statement while more than one connection is busy, and it scans
    // them on every statement (measured: 40,000 pipelined statements took 1.1 s, then 1.6, 2.3 and
    // 2.8 s in the same process). With one connection each, the queues never hold more than one.
    max: 1,
    // Notices (e.g. "relation already exists, skipping" from a migration) are not errors and
    // would otherwise go to the console.
    onnotice: () => undefined,
    // `pg` sent undefined as NULL; Kysely never passes it, but a hand-written query might.
    transform: { undefined: null },
    connection: { application_name: "smartcert-inbox" },
  };
  const connect = () => postgres(options.url, common);
  const shared = Array.from({ length: options.sharedConnections }, () => ({ sql: connect(), inFlight: 0 }));
  const forTransactions: TransactionConnection[] = Array.from({ length: options.transactionConnections }, () => ({ sql: connect(), taken: false }));
  const waitingForTransaction: Array<(connection: TransactionConnection) => void> = [];

  const run = async (target: postgres.Sql, text: string, parameters: readonly unknown[] | undefined): Promise<PostgresQueryResult<unknown>> => {
    const values = (parameters ?? []) as postgres.ParameterOrJSON<never>[];
    const prepare = values.length > 0 && !text.endsWith(options.planPerRunMarker);
    const result = await target.unsafe(text, values, { prepare });
    // postgres.js answers an Array subclass carrying count, command and columns; Kysely's callers
    // get a plain array of rows, as they did from `pg`.
    return { command: result.command as PostgresQueryResult<unknown>["command"], rowCount: result.count, rows: [...result] };
  };

  /** A single statement goes to the shared connection with the fewest statements in flight. */
  const runShared = async (text: string, parameters: readonly unknown[] | undefined) => {
    let target = shared[0];
    for (const connection of shared) if (target === undefined || connection.inFlight < target.inFlight) target = connection;
    if (target === undefined) throw new Error("pipelinedPool: no shared connections configured");
    target.inFlight++;
    try {
      return await run(target.sql, text, parameters);
    } finally {
      target.inFlight--;
    }
  };

  /** A transaction takes a connection nobody else uses until it ends (first come, first served). */
  const takeTransactionConnection = async () => {
    const free = forTransactions.find((connection) => !connection.taken);
    const connection = free ?? (await new Promise<TransactionConnection>((resolve) => waitingForTransaction.push(resolve)));
    connection.taken = true;
    try {
      return { connection, reserved: await connection.sql.reserve() };
    } catch (error) {
      giveBack(connection);
      throw error;
    }
  };
  /** To the longest-waiting transaction, still taken; otherwise free. */
  const giveBack = (connection: TransactionConnection) => {
    const next = waitingForTransaction.shift();
    if (next) next(connection);
    else connection.taken = false;
  };

  const client = (): PostgresPoolClient => {
    let transaction: Awaited<ReturnType<typeof takeTransactionConnection>> | undefined;
    const finish = () => {
      if (transaction === undefined) return;
      transaction.reserved.release();
      giveBack(transaction.connection);
      transaction = undefined;
    };
    return {
      query: (async (source: unknown, parameters?: readonly unknown[]) => {
        if (typeof source !== "string") throw new Error("Streaming queries (cursors) are not supported by this pool");
        if (transaction === undefined) {
          if (!startsTransaction(source)) return runShared(source, parameters);
          transaction = await takeTransactionConnection();
        }
        try {
          return await run(transaction.reserved, source, parameters);
        } finally {
          if (endsTransaction(source)) finish();
        }
      }) as PostgresPoolClient["query"],
      // A transaction whose COMMIT or ROLLBACK never ran (the connection broke) gives its
      // connection back here; postgres.js replaces a broken one.
      release: finish,
    };
  };

  return {
    connect: () => Promise.resolve(client()),
    end: async () => {
      await Promise.all([...shared, ...forTransactions].map((connection) => connection.sql.end({ timeout: 5 })));
    },
  };
}

/** Kysely's PostgresDriver opens transactions with exactly these statements. */
function startsTransaction(text: string): boolean {
  return text === "begin" || text.startsWith("start transaction");
}

function endsTransaction(text: string): boolean {
  return text === "commit" || text === "rollback";
}
