// The example webhooks of the LTD seed (004), deep-frozen. The e-mails are as the seed
// shows them (obfuscated, with a no-break space). The TransactionChanged example is not valid JSON in the seed
// (a quote is missing after EventImageUrl): the object here has it fixed, and the seed's
// text is kept as LTD_TRANSACTION_CHANGED_SEED_TEXT for the HTTP layer's 400.
import { deepFreeze } from '../../validation/payload-check.fixtures.js';
import type {
  LtdAffiliateOptIn,
  LtdEventChanged,
  LtdPerformanceChanged,
  LtdScheduledEticketDelivery,
  LtdTransactionChanged,
} from './ltd-message.types.js';

export const LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE: LtdScheduledEticketDelivery = deepFreeze({
  MessageType: 'ScheduledEticketDelivery',
  Payload: {
    AffiliateId: '281ffaaa-a70b-4cd2-a401-9e50b00a1204',
    BookingReference: 'ABC01599',
    CustomerEmail: '[email\u00a0protected]',
    Tickets: [
      {
        EventName: 'Christmas Actually',
        PerformanceDate: '2023-12-07T19:30:00',
        TicketName1: 'N',
        TicketName2: 40,
        AreaName: 'Balcony',
        VenueName: 'Royal Festival Hall, Southbank Centre',
        Barcode: '00000015125182882200',
        BarcodeType: 'QRCode',
      },
      {
        EventName: 'Christmas Actually',
        PerformanceDate: '2023-12-07T19:30:00',
        TicketName1: 'N',
        TicketName2: 39,
        AreaName: 'Balcony',
        VenueName: 'Royal Festival Hall, Southbank Centre',
        Barcode: '00000015125182882200',
        BarcodeType: 'QRCode',
      },
      {
        EventName: 'Christmas Actually',
        PerformanceDate: '2023-12-07T19:30:00',
        TicketName1: 'N',
        TicketName2: 38,
        AreaName: 'Balcony',
        VenueName: 'Royal Festival Hall, Southbank Centre',
        Barcode: '00000015125182882200',
        BarcodeType: 'QRCode',
      },
    ],
  },
  Timestamp: '2024-03-05T08:26:11.1451352Z',
});

export const LTD_TRANSACTION_CHANGED_EXAMPLE: LtdTransactionChanged = deepFreeze({
  MessageType: 'TransactionChanged',
  Payload: {
    BookingReference: 'CSK46133',
    BasketId: '33de23ee-5e42-4aba-b941-6546e57fec28',
    DeliveryType: 'PrintAtHomeTickets',
    TotalAmount: 108,
    TotalCount: 1,
    Customer: {
      FullName: 'Morgan Better',
      Email: '[email\u00a0protected]',
      PhoneNumber: '1234657',
      Address: {
        AddressLine1: '',
        AddressLine2: '',
        AddressLine3: null,
        AddressLine4: null,
        City: '',
        Country: 'GB',
        PostCode: '',
      },
    },
    PurchaseDateTime: '2023-11-09T09:47:59.623',
    Orders: [
      {
        EventId: 3868,
        EventImageUrl:
          'https://media.londontheatredirect.com/Event/FrozenTheMusical/event-detail-image_36364.jpg',
        PerformanceId: 661132,
        PerformanceDateTime: '2024-03-17T13:00:00',
        VenueName: 'Theatre Royal Drury Lane',
        VenueId: 11,
        EventName: 'Frozen The Musical',
        Tickets: [
          {
            SeatInfo: 'E15',
            Barcode: '23017425',
            BarcodeType: 'QRCode',
            AreaName: 'Stalls',
            Price: 84,
            Status: 'Purchased',
          },
          {
            SeatInfo: 'J7',
            Barcode: '23017426',
            BarcodeType: 'QRCode',
            AreaName: 'Stalls',
            Price: 84,
            Status: 'Cancelled',
          },
        ],
        OrderStatus: 'Cancelled',
        VenueLongitude: -0.142429,
        VenueLatitude: 51.495739,
      },
    ],
  },
  Timestamp: '2024-03-05T08:26:11.1451352Z',
});

/** The seed's TransactionChanged example as published: not JSON (400 at the HTTP layer). */
export const LTD_TRANSACTION_CHANGED_SEED_TEXT = `{
    "MessageType": "TransactionChanged",
    "Payload": {
        "BookingReference": "CSK46133",
        "BasketId": "33de23ee-5e42-4aba-b941-6546e57fec28",
        "DeliveryType": "PrintAtHomeTickets",
        "TotalAmount": 108,
        "TotalCount": 1,
        "Customer": {
            "FullName": "Morgan Better",
            "Email": "[email\u00a0protected]",
            "PhoneNumber": "1234657",
            "Address": {
                "AddressLine1": "",
                "AddressLine2": "",
                "AddressLine3": null,
                "AddressLine4": null,
                "City": "",
                "Country": "GB",
                "PostCode": ""
            }
        },
        "PurchaseDateTime": "2023-11-09T09:47:59.623",
        "Orders": [
            {
                "EventId": 3868,
                "EventImageUrl": "https://media.londontheatredirect.com/Event/FrozenTheMusical/event-detail-image_36364.jpg
                "PerformanceId": 661132,
                "PerformanceDateTime": "2024-03-17T13:00:00",
                "VenueName": "Theatre Royal Drury Lane",
                "VenueId": 11,
                "EventName": "Frozen The Musical",
                "Tickets": [
                    {
                        "SeatInfo": "E15",
                        "Barcode": "23017425",
                        "BarcodeType": "QRCode",
                        "AreaName": "Stalls",
                        "Price": 84,
                        "Status": "Purchased"
                    },
                    {
                        "SeatInfo": "J7",
                        "Barcode": "23017426",
                        "BarcodeType": "QRCode",
                        "AreaName": "Stalls",
                        "Price": 84,
                        "Status": "Cancelled"
                    }
                ],
                "OrderStatus": "Cancelled",
                "VenueLongitude": -0.142429,
                "VenueLatitude": 51.495739
            }
        ]
    },
    "Timestamp": "2024-03-05T08:26:11.1451352Z"
}`;

export const LTD_PERFORMANCE_CHANGED_EXAMPLE: LtdPerformanceChanged = deepFreeze({
  MessageType: 'PerformanceChanged',
  Payload: {
    EventId: 2589,
    PerformanceId: 688971,
    HasOffer: false,
    PerformanceDateTime: '2025-12-31T13:00:00',
    TotalSeatsCount: 1000,
    TotalAvailableTicketsCount: 900,
    Tickets: [
      {
        TicketId: 123456,
        Row: 'A',
        Seat: 1,
        AreaName: 'Dress Circle',
        SeatAttributeId: 1,
        PriceId: 1,
      },
    ],
    Prices: [
      {
        PriceId: 1,
        FaceValue: 10,
        SellingPrice: 15,
        PriceBefore: 15,
      },
    ],
    Attributes: [
      {
        AttributeId: 1,
        RestrictedView: false,
        Highlight: false,
        Description: 'Dress Circle',
      },
    ],
  },
  Timestamp: '2024-05-14T08:26:11.1451352Z',
});

export const LTD_EVENT_CHANGED_EXAMPLE: LtdEventChanged = deepFreeze({
  MessageType: 'EventChanged',
  Payload: {
    EventId: 1234,
    UrlId: 'event-tickets',
    EventName: 'The Magic Event',
    EventType: 'Dance',
    VenueName: "Sadler's Wells",
    City: 'London',
    Address: 'Rosebery Avenue, Islington',
    ReservedSeating: true,
    PostCode: 'EC1R 4TN',
    CustomerRating: {
      Score: 5,
      ReviewsCount: 100,
    },
    ThumbnailImage: {
      AbsoluteUrl: 'https://www.londontheatredirect.com/Static/Images/ltd-logo.png',
      Description: 'Magic event',
    },
    VenueUrlId: 'sadlers-wells-london',
    EventMinimumPrice: null,
    TopOfferAmount: null,
    SalesChannels: {
      IsEnabledBooking: false,
      IsEnabledForLtdWebsite: true,
      IsEnabledForWhiteLabels: false,
      IsEnabledForApi: false,
      AmazonPrimeOnly: false,
      OnlyForSpecificAffiliates: false,
      IsLive: false,
      HotelPackage: null,
    },
    ClosestPerformanceDate: null,
    HasRelatedEvents: false,
  },
  Timestamp: '2024-05-14T08:26:11.1451352Z',
});

export const LTD_AFFILIATE_OPT_IN_EXAMPLE: LtdAffiliateOptIn = deepFreeze({
  MessageType: 'AffiliateOptIn',
  Payload: {
    OptInText: 'Receive updates and offers',
    IsOptedIn: true,
    Customer: {
      FirstName: 'John',
      LastName: 'Doe',
      Email: '[email\u00a0protected]',
      Telephone: '123456789',
      Country: 'United Kingdom',
    },
    Booking: {
      DeliveryTypeId: 5,
      BookingReference: 'XYZ12345',
      DatePurchased: '2025-04-01T10:00:00.753',
      TicketOrders: [
        {
          EventName: 'Sample event',
          PerformanceDate: '2025-10-01T18:00:00Z',
          Category: 'Musical',
          Tickets: [
            {
              Seat: 'Z4',
              Price: 150,
            },
          ],
        },
      ],
      AdditionalOrders: [
        {
          Title: 'Voucher',
          Price: 10.0,
        },
      ],
    },
  },
  Timestamp: '2025-04-01T08:40:36.2103717Z',
});

export const LTD_EXAMPLES = deepFreeze({
  ScheduledEticketDelivery: LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE,
  TransactionChanged: LTD_TRANSACTION_CHANGED_EXAMPLE,
  PerformanceChanged: LTD_PERFORMANCE_CHANGED_EXAMPLE,
  EventChanged: LTD_EVENT_CHANGED_EXAMPLE,
  AffiliateOptIn: LTD_AFFILIATE_OPT_IN_EXAMPLE,
});
