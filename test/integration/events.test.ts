import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContactTeam, type ContactTeam } from '../support/contact-team.js';
import { idNumberFor } from '../support/factories.js';
import type { Session } from '../support/test-app.js';
/** What the archive page shows of a major event and does with it (R5): the visit that answered it, 结案, 确认亡故. */
let s: ContactTeam;
let village: Session;
const contactName = '王建华';

beforeAll(async () => {
  s = await buildContactTeam({ contactName });
  village = await s.t.signIn('village_staff', s.tree.village);
});
afterAll(() => s.t.close());

async function family(overrides: Record<string, unknown> = {}) {
  const { family: f } = await s.family(overrides);
  return f as { id: string };
}

const hoursAgo = (h: number) => new Date(s.t.clock.now().getTime() - h * 3_600_000).toISOString();

interface EventView {
  id: string;
  status: string;
  version: number;
  responseLogId: string | null;
  responseVisit: { occurredAt: string; contactName: string } | null;
  followUp: string | null;
  closedAt: string | null;
  deathConfirmedAt: string | null;
}

async function eventOf(session: Session, familyId: string, id: string): Promise<EventView> {
  const res = await session.get(`/api/v1/families/${familyId}/events`);
  expect(res.statusCode).toBe(200);
  return (res.json().data as EventView[]).find((e) => e.id === id)!;
}

describe('major events on the archive (R5)', () => {
  it('names the home visit that answered an event, and refuses a stale version when closing', async () => {
    const f = await family();
    const event = (
      await s.contact.post(`/api/v1/families/${f.id}/events`, {
        kind: 'accident',
        affectedRelation: 'father',
        occurredAt: hoursAgo(3),
      })
    ).json().data as EventView;
    expect(event.responseVisit).toBeNull();
    const visitedAt = hoursAgo(1);
    const log = (
      await s.contact.post(`/api/v1/families/${f.id}/contact-logs`, {
        contactId: s.contactId,
        mode: 'home_visit',
        occurredAt: visitedAt,
      })
    ).json().data as { id: string };
    const answered = await eventOf(s.township, f.id, event.id);
    expect(answered).toMatchObject({
      status: 'responded',
      responseLogId: log.id,
      responseVisit: { occurredAt: visitedAt, contactName },
    });

    const stale = await s.township.post(`/api/v1/events/${event.id}/close`, {
      version: event.version,
      followUp: '协调医保报销',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    expect(await eventOf(s.township, f.id, event.id)).toMatchObject({ status: 'responded', followUp: null });

    const empty = await s.township.post(`/api/v1/events/${event.id}/close`, {
      version: answered.version,
      followUp: ' ',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].path).toBe('followUp');

    const closed = await s.township.post(`/api/v1/events/${event.id}/close`, {
      version: answered.version,
      followUp: '协调医保报销，家庭医生每周随访',
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().data).toMatchObject({ status: 'closed', responseVisit: { contactName } });
    expect(await eventOf(s.contact, f.id, event.id)).toMatchObject({
      status: 'closed',
      followUp: '协调医保报销，家庭医生每周随访',
      closedAt: s.t.clock.now().toISOString(),
    });
  });

  it('lets village staff confirm a parent death: the member is deceased, the archive stays while the other parent lives', async () => {
    const f = await family({
      members: [
        { relation: 'mother', name: '刘某英', idNumber: idNumberFor('female', '1952-03-03') },
        { relation: 'father', name: '刘某国', idNumber: idNumberFor('male', '1950-04-04') },
      ],
    });
    const occurredAt = '2026-01-10T18:30:00.000Z'; // 2026-01-11 in China
    const event = (
      await s.contact.post(`/api/v1/families/${f.id}/events`, { kind: 'death', affectedRelation: 'father', occurredAt })
    ).json().data as EventView;

    // A home visit moves the event's version on: confirming with the version seen before is refused.
    await s.contact.post(`/api/v1/families/${f.id}/contact-logs`, {
      contactId: s.contactId,
      mode: 'home_visit',
      occurredAt: hoursAgo(0),
    });
    const stale = await village.post(`/api/v1/events/${event.id}/confirm-death`, { version: event.version });
    expect(stale.statusCode).toBe(409);
    let archive = (await s.township.get(`/api/v1/families/${f.id}`)).json().data;
    expect(archive.members.find((m: { relation: string }) => m.relation === 'father').isDeceased).toBe(false);

    const current = await eventOf(village, f.id, event.id);
    const res = await village.post(`/api/v1/events/${event.id}/confirm-death`, { version: current.version });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.deathConfirmedAt).toBe(s.t.clock.now().toISOString());
    archive = (await s.township.get(`/api/v1/families/${f.id}`)).json().data;
    expect(archive.members.find((m: { relation: string }) => m.relation === 'father')).toMatchObject({
      isDeceased: true,
      deathDate: '2026-01-11',
    });
    expect(archive.status).toBe('active');

    const again = await village.post(`/api/v1/events/${event.id}/confirm-death`, { version: current.version + 1 });
    expect(again.json().error.details[0].code).toBe('ALREADY_CONFIRMED');
  });
});
