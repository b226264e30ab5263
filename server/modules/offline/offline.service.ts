import { maskName, scrubPushText } from '../../../common/mask.js';
import type { Post } from '../../../common/labels.js';
import { OFFLINE_FAMILY_LIMIT, type OfflineFamily, type OfflinePack } from '../../../common/schemas/offline.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { actorRange } from '../../platform/scope.js';
import type { ContactsService } from '../contacts/contacts.service.js';
import type { TodosService } from '../todos/todos.service.js';
import * as repo from './offline.repository.js';

/**
 * The phone's offline copy (issue #17): the user's todos and the families they log visits for — a contact's
 * assigned families, plus every family in the todos (for village and township staff, only those) — with the
 * fields the visit form needs and nothing more (masked names and phones; no ID numbers, address, dates of
 * birth). Read-only: no audit row, like `GET /todos` it answers the user's own work.
 */
export function createOfflineService(
  platform: Platform,
  todos: TodosService,
  registry: Pick<ContactsService, 'currentAssignments'>,
) {
  const { db, clock } = platform;
  return {
    async pack(c: RequestContext): Promise<OfflinePack> {
      authorize(c.actor, 'contactLog.write', c.actor.regionCode);
      const range = actorRange(c.actor);
      const due = await todos.list(c);
      const ids: string[] = [];
      const seen = new Set<string>();
      const add = (id: string) => {
        if (!id || seen.has(id)) return;
        seen.add(id);
        ids.push(id);
      };
      // The most urgent first, so a cut at the limit keeps what is due.
      for (const t of due) add(t.familyId);
      for (const r of await repo.assignedFamilyIds(db, c.actor.id, range, OFFLINE_FAMILY_LIMIT + 1)) add(r.id);
      const kept = ids.slice(0, OFFLINE_FAMILY_LIMIT);
      const [rows, parents, contacts] = await Promise.all([
        repo.familiesByIds(db, kept, range),
        repo.parentsOf(db, kept),
        registry.currentAssignments(db, kept),
      ]);
      const families: OfflineFamily[] = rows.map((f) => ({
        id: f.id,
        archiveNo: f.archive_no,
        familyType: f.family_type as OfflineFamily['familyType'],
        regionCode: f.region_code,
        regionName: f.region_name,
        isSpecialDifficulty: f.is_special_difficulty === 1,
        status: f.status as OfflineFamily['status'],
        version: f.version,
        members: parents
          .filter((m) => m.family_id === f.id)
          .map((m) => ({
            relation: m.relation as 'father' | 'mother',
            name: maskName(m.name),
            isDeceased: m.is_deceased === 1,
          })),
        contacts: contacts
          .filter((a) => a.family_id === f.id)
          .map((a) => ({
            id: a.id,
            contactId: a.contact_id,
            isMine: a.user_id !== null && a.user_id === c.actor.id,
            post: a.post as Post,
            name: a.name,
            phone: a.phone_mask,
            organization: a.organization,
            title: a.title,
            startedAt: a.started_at,
          })),
      }));
      // A visit todo is titled with the parents' names: on the phone, with the masked ones.
      const maskedNames = new Map(families.map((f) => [f.id, f.members.map((m) => m.name).join('、')]));
      return {
        userId: c.actor.id,
        generatedAt: clock.now().toISOString(),
        todos: due.map((t) => ({
          ...t,
          title: t.kind === 'visit_due' ? maskedNames.get(t.familyId) || t.archiveNo : scrubPushText(t.title),
          detail: scrubPushText(t.detail),
        })),
        families,
        truncated: ids.length > OFFLINE_FAMILY_LIMIT,
      };
    },
  };
}
export type OfflineService = ReturnType<typeof createOfflineService>;
