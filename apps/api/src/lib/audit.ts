import type { Tx } from "@taskmaster/db";
import { auditLog } from "@taskmaster/db/schema";

/** Records a write in the same transaction as the write itself, so neither lands without the other. */
export async function audit(
  tx: Tx,
  entry: {
    actorId: string | null;
    action: string;
    entity: string;
    entityId?: string | null;
    ip?: string | null;
    metadata?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    ip: entry.ip ?? null,
    metadata: entry.metadata ?? null,
  });
}
