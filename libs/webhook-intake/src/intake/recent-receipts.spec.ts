import { RecentReceipts } from './recent-receipts.js';

describe('RecentReceipts', () => {
  it('given a remembered receipt, when its place is looked up, then its answer is found; another place is not', () => {
    const receipts = new RecentReceipts();
    receipts.remember('ltd-booking-1', 4, { receiptId: 'r1', outcome: 'accepted' });

    expect(receipts.find('ltd-booking-1', 4)).toEqual({ receiptId: 'r1', outcome: 'accepted' });
    expect(receipts.find('ltd-booking-1', 5)).toBeUndefined();
    expect(receipts.find('ltd-booking-2', 4)).toBeUndefined();
  });

  it('given more receipts than it holds, then the least recently remembered go first', () => {
    const receipts = new RecentReceipts(2);
    receipts.remember('a', 0, { receiptId: 'a', outcome: 'accepted' });
    receipts.remember('b', 0, {
      receiptId: 'b',
      outcome: 'parked',
      parkedReason: 'unsupported_type',
    });
    receipts.remember('a', 0, { receiptId: 'a', outcome: 'accepted' });
    receipts.remember('c', 0, { receiptId: 'c', outcome: 'accepted' });

    expect(receipts.find('b', 0)).toBeUndefined();
    expect(receipts.find('a', 0)?.receiptId).toBe('a');
    expect(receipts.find('c', 0)?.receiptId).toBe('c');
  });
});
