// The two example webhooks of the Ingresse seed (003), verbatim, deep-frozen: a ticket
// type, and the group holding it (with `attributes: []`, `description: null`).
import { deepFreeze } from '../../validation/payload-check.fixtures.js';
import type { IngresseTicketWebhook } from './ingresse-webhook.types.js';

export const INGRESSE_TICKET_TYPE_EXAMPLE: IngresseTicketWebhook = deepFreeze({
  webhook: 'ticket',
  data: {
    id: 408218,
    name: 'Ingresso - Pista',
    description: '',
    eventId: 24724,
    type: 'Ticket',
    eventDates: [
      {
        id: 38363,
        datetime: '2019-10-10T10:00:00-03:00',
        timezone: 'America/Sao_Paulo',
      },
    ],
    attributes: {
      maximum: 0,
      minimum: 0,
      canArchive: true,
      external: false,
    },
    quantity: 100,
    parent: 346868,
    children: [],
    salePeriods: [
      {
        id: 70127,
        appCategoryId: 1,
        start: '2020-10-10T10:10:00-03:00',
        finish: '2020-10-20T10:20:00-03:00',
        available: true,
      },
    ],
    hidden: false,
    available: true,
    order: 1,
    value: {
      price: 10,
      finalPrice: 11,
      feeSale: 1,
      feeProducer: 0,
      taxDistribution: 100,
    },
    triggers: {
      soldout: [],
      start: [],
    },
    archived: false,
    customTax: false,
    salable: true,
    quantityDiff: 0,
  },
  timestamp: '2018-04-02T13:57:04.770619',
});

export const INGRESSE_TICKET_GROUP_EXAMPLE: IngresseTicketWebhook = deepFreeze({
  webhook: 'ticket',
  data: {
    id: 346868,
    name: 'Grupo de Ingressos',
    description: null,
    eventId: 24724,
    type: 'Group',
    eventDates: [
      {
        id: 38363,
        datetime: '2019-10-10T10:00:00-03:00',
        timezone: 'America/Sao_Paulo',
      },
    ],
    attributes: {
      maximum: 0,
      minimum: 0,
      canArchive: true,
      external: false,
    },
    quantity: 1000,
    parent: null,
    children: [
      {
        id: 408218,
        name: 'Test webhook',
        description: '',
        eventId: 24724,
        type: 'Ticket',
        eventDates: [
          {
            id: 38363,
            datetime: '2019-10-10T10:00:00-03:00',
            timezone: 'America/Sao_Paulo',
          },
        ],
        attributes: [],
        quantity: 100,
        parent: 346868,
        children: [],
        salePeriods: [
          {
            id: 70127,
            appCategoryId: 1,
            start: '2020-10-10T10:10:00-03:00',
            finish: '2020-10-20T10:20:00-03:00',
            available: true,
          },
        ],
        hidden: false,
        available: true,
        order: 1,
        value: {
          price: 10,
          finalPrice: 11,
          feeSale: 1,
          feeProducer: 0,
          taxDistribution: 100,
        },
        triggers: {
          soldout: [],
          start: [],
        },
        archived: false,
        customTax: false,
        salable: true,
      },
      {
        id: 346869,
        name: 'Camarote',
        description: '',
        eventId: 24724,
        type: 'Ticket',
        eventDates: [
          {
            id: 38363,
            datetime: '2019-10-10T10:00:00-03:00',
            timezone: 'America/Sao_Paulo',
          },
        ],
        attributes: [],
        quantity: 100,
        parent: 346868,
        children: [],
        salePeriods: [
          {
            id: 27588,
            appCategoryId: 1,
            start: '2018-05-04T00:00:00-03:00',
            finish: '2019-10-10T00:00:00-03:00',
            available: true,
          },
        ],
        hidden: false,
        available: true,
        order: 3,
        value: {
          price: 1,
          finalPrice: 1.1,
          feeSale: 0.1,
          feeProducer: 0,
          taxDistribution: 100,
        },
        triggers: {
          soldout: [],
          start: [],
        },
        archived: false,
        customTax: false,
        salable: true,
      },
    ],
    salePeriods: [],
    hidden: false,
    available: true,
    order: 1,
    value: {
      price: 0,
      feeSale: 0,
      feeProducer: 0,
    },
    triggers: {
      soldout: [],
      start: [],
    },
    archived: false,
    customTax: false,
    salable: true,
    passkeys: [],
    quantityDiff: -9000,
  },
  timestamp: '2018-04-02T13:57:04.770619',
});

export const INGRESSE_EXAMPLES = deepFreeze([
  INGRESSE_TICKET_TYPE_EXAMPLE,
  INGRESSE_TICKET_GROUP_EXAMPLE,
]);
