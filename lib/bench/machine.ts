import os from "node:os";
import type postgres from "postgres";

export type Machine = {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  os: string;
  loadAtStart: string;
};

/** What the numbers were measured on; the load average says how busy the (shared) machine was. */
export async function describeMachine(sql: postgres.Sql): Promise<Machine> {
  const cpus = os.cpus();
  const [{ server_version }] = await sql<{ server_version: string }[]>`show server_version`;
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: server_version,
    os: `${os.type()} ${os.release()}`,
    loadAtStart: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" / "),
  };
}
