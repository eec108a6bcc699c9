import fs from "node:fs";

/**
 * CPU time from /proc (Linux), so a benchmark can report what a request costs in CPU next to
 * its throughput. Throughput on a shared 2-core machine moves with whatever else runs; CPU time
 * per request moves much less, which makes it the better number to compare two versions of a
 * route. Returns undefined where /proc is not available.
 */
const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture we run on (`getconf CLK_TCK`).

/** User + system CPU seconds a process has used so far. */
export function processCpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  // After the command name: field 14 utime and 15 stime (1-based, proc(5)); index 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by each process named `postgres` (the server and its backends), by pid. */
export function postgresCpuByPid(): Map<number, number> | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return undefined;
  }
  const byPid = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat?.name !== "postgres") continue;
    byPid.set(Number(entry), (Number(stat.fields[11]) + Number(stat.fields[12])) / TICKS_PER_SECOND);
  }
  return byPid;
}

/**
 * CPU seconds PostgreSQL used between two snapshots. Per pid, so a backend that exits in between
 * (its CPU leaves any total) does not make the difference negative: a pid seen only at the end
 * counts whole, one seen only at the start counts nothing (its last moments are lost — a small
 * undercount, never a negative).
 */
export function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

function statFields(pid: number): string[] | undefined {
  return readStat(pid)?.fields;
}

/** /proc/<pid>/stat: "pid (name) state …"; the name may contain spaces, so split after its ')'. */
function readStat(pid: number): { name: string; fields: string[] } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // gone, or no /proc
  }
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  return { name: text.slice(open + 1, close), fields: text.slice(close + 2).split(" ") };
}
