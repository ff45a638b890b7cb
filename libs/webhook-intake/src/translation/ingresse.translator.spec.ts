import { canonicalJsonSha256, type ReportTicketType } from '#ledger';
import {
  INGRESSE_TICKET_GROUP_EXAMPLE,
  INGRESSE_TICKET_TYPE_EXAMPLE,
} from '../providers/ingresse/ingresse.fixtures.js';
import type { IngresseWebhook } from '../providers/ingresse/ingresse-webhook.types.js';
import { withValue, withoutValue } from '../validation/payload-check.fixtures.js';
import { translateIngresseWebhook } from './ingresse.translator.js';

const GROUP = INGRESSE_TICKET_GROUP_EXAMPLE;
const GROUP_ID = GROUP.data.id;

/** As the intake hands it over: parsed JSON (the edit helpers clone across realms). */
function command(webhook: unknown): ReportTicketType {
  const parsed = JSON.parse(JSON.stringify(webhook)) as IngresseWebhook;
  return translateIngresseWebhook(parsed).command as ReportTicketType;
}

describe('translateIngresseWebhook', () => {
  describe('given a group webhook', () => {
    it('when its children name their parent, then each embedded copy keeps it', () => {
      const { embedded } = command(GROUP);
      expect(embedded.map((child) => [child.id, child.parentId])).toEqual([
        [408218, GROUP_ID],
        [346869, GROUP_ID],
      ]);
      expect(embedded.every((child) => child.source === 'embedded')).toBe(true);
    });

    it.each([
      ['omits parent', (body: unknown) => withoutValue(body, '/data/children/0/parent')],
      ['has parent: null', (body: unknown) => withValue(body, '/data/children/0/parent', null)],
    ])('when a child %s, then its embedded copy belongs to the group holding it', (_case, edit) => {
      const [first, second] = command(edit(GROUP)).embedded;
      expect(first).toMatchObject({ id: 408218, parentId: GROUP_ID, source: 'embedded' });
      expect(second?.parentId).toBe(GROUP_ID);
    });

    it('when a child omits parent, then its hash is still that of its own object as sent', () => {
      const body = withoutValue(GROUP, '/data/children/0/parent');
      const [child] = (body['data'] as { children: unknown[] }).children;
      // The default fills the report, not the object: the tie-break hash follows what was sent.
      expect(command(body).embedded[0]?.hash).toBe(
        canonicalJsonSha256(JSON.parse(JSON.stringify(child))),
      );
    });

    it('then the group itself keeps its own parent (none)', () => {
      expect(command(GROUP).ticketType).toMatchObject({ id: GROUP_ID, parentId: null });
    });
  });

  describe('given a ticket type’s own webhook', () => {
    it('when it names no parent, then it stands alone (no group to default to)', () => {
      const body = withoutValue(INGRESSE_TICKET_TYPE_EXAMPLE, '/data/parent');
      expect(command(body).ticketType).toMatchObject({ id: 408218, parentId: null, source: 'own' });
    });

    it('when it names its parent, then it keeps it', () => {
      expect(command(INGRESSE_TICKET_TYPE_EXAMPLE).ticketType.parentId).toBe(346868);
    });
  });
});
