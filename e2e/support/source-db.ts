import fs from "node:fs";
import postgres from "postgres";
import { SOURCE_URL_FILE } from "./env";

/**
 * A second database on the test server for journeys that set a sync up against a real source
 * (e2e/wizard.spec.ts): two tables with keys and cursor columns, one without a key. Its url goes
 * to SOURCE_URL_FILE; the file is removed with the server.
 */
export async function createSourceDatabase(serverUrl: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe("create database e2e_source");
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = "/e2e_source";
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`
      create table customers (id bigint primary key, name text not null, email text, updated_at timestamptz not null default now());
      insert into customers (id, name, email) select g, 'Customer ' || g, 'c' || g || '@example.com' from generate_series(1, 500) g;
      create table orders (id integer primary key, customer_id bigint not null, amount numeric(10,2) not null, modified_at timestamptz not null default now());
      insert into orders select g, 1 + g % 500, g * 1.25, now() from generate_series(1, 1200) g;
      create table notes (id integer, body text);
      create table order_lines (order_id integer, line integer, qty integer not null, primary key (order_id, line));
      insert into order_lines select o, l, o * l from generate_series(1, 40) o, generate_series(1, 3) l;
    `);
  } finally {
    await sql.end({ timeout: 5 });
  }
  fs.writeFileSync(SOURCE_URL_FILE, url.toString(), { mode: 0o600 });
}

export const removeSourceUrlFile = () => fs.rmSync(SOURCE_URL_FILE, { force: true });
