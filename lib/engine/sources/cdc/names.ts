/**
 * One publication and one logical replication slot per sync, both named after it. Sync ids are 24 hex
 * digits, so the names are valid unquoted identifiers (and slot names: lowercase, digits, `_`, ≤ 63).
 */
export const publicationName = (syncId: string) => `sync_console_${assertSyncId(syncId)}`;
export const slotName = (syncId: string) => `sync_console_${assertSyncId(syncId)}`;

function assertSyncId(syncId: string): string {
  if (!/^[0-9a-f]{24}$/.test(syncId)) throw new Error(`not a sync id: ${syncId}`);
  return syncId;
}
