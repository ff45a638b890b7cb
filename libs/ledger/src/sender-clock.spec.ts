import { compareSnapshots, normaliseSenderTime, supersedes } from './sender-clock.js';

describe('normaliseSenderTime', () => {
  it.each([
    ['2024-03-05T08:26:11.1451352Z', '2024-03-05T08:26:11.145135200000'],
    ['2024-03-05T08:26:11Z', '2024-03-05T08:26:11.000000000000'],
    ['2019-10-10T10:00:00-03:00', '2019-10-10T13:00:00.000000000000'],
    ['2024-01-01T00:30:00.5+01:00', '2023-12-31T23:30:00.500000000000'],
    ['2018-04-02T13:57:04.770619', '2018-04-02T13:57:04.770619000000'],
  ])('normalises %s to %s', (input, expected) => {
    expect(normaliseSenderTime(input)).toBe(expected);
  });

  it('keeps precision a millisecond Date would lose', () => {
    const earlier = normaliseSenderTime('2024-03-05T08:26:11.1451352Z');
    const later = normaliseSenderTime('2024-03-05T08:26:11.1451353Z');

    expect(Date.parse('2024-03-05T08:26:11.1451352Z')).toBe(
      Date.parse('2024-03-05T08:26:11.1451353Z'),
    );
    expect(earlier < later).toBe(true);
  });
});

describe('snapshot order', () => {
  const at = (senderTime: string, hash: string, rank?: number) => ({
    senderTime: normaliseSenderTime(senderTime),
    hash,
    ...(rank === undefined ? {} : { rank }),
  });

  it('orders by sender time first', () => {
    expect(
      compareSnapshots(at('2024-01-01T00:00:01Z', 'a'), at('2024-01-01T00:00:02Z', '0')),
    ).toBeLessThan(0);
  });

  it('given equal times, then the higher rank is newer, then the greater hash', () => {
    expect(
      compareSnapshots(at('2024-01-01T00:00:01Z', 'a', 1), at('2024-01-01T00:00:01Z', 'f', 0)),
    ).toBeGreaterThan(0);
    expect(
      compareSnapshots(at('2024-01-01T00:00:01Z', 'b'), at('2024-01-01T00:00:01Z', 'a')),
    ).toBeGreaterThan(0);
  });

  it('given no newest snapshot, then any snapshot supersedes; the same snapshot never does', () => {
    const snapshot = at('2024-01-01T00:00:01Z', 'a');

    expect(supersedes(snapshot, undefined)).toBe(true);
    expect(supersedes(snapshot, snapshot)).toBe(false);
  });
});
